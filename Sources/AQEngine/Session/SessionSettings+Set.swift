// `SET name = value` and `RESET name`: a setting's value checked and applied.

import AQSyntax

extension SessionSettings {
    /// Applies `SET name = value`, or `RESET name` when the value is nil.
    mutating func apply(_ setting: Setting) throws {
        let name = setting.name.name.lowercased()
        switch name {
        case "default_null_order":
            guard let value = setting.value else {
                nullOrder = SessionSettings().nullOrder
                return
            }
            guard let order = NullOrder(settingValue: value) else {
                let choices = NullOrder.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
                throw BindError.invalidSettingValue(setting: "default_null_order", expected: "one of \(choices)", found: value,
                                                    range: setting.valueRange ?? setting.name.range)
            }
            nullOrder = order
        case "order_by_non_integer_literal":
            guard let value = setting.value else {
                orderByNonIntegerLiteral = SessionSettings().orderByNonIntegerLiteral
                return
            }
            orderByNonIntegerLiteral = try SessionSettings.boolean(value, setting)
        case "integer_division":
            guard let value = setting.value else {
                integerDivision = SessionSettings().integerDivision
                return
            }
            integerDivision = try SessionSettings.boolean(value, setting)
        case "threads", "worker_threads":
            guard let value = setting.value else {
                threads = SessionSettings.cores
                return
            }
            guard let n = Int(value), (1...SessionSettings.maxThreads).contains(n) else {
                throw BindError.invalidSettingValue(setting: "threads", expected: "a whole number from 1 to \(SessionSettings.maxThreads)",
                                                    found: value, range: setting.valueRange ?? setting.name.range)
            }
            threads = n
        case "memory_limit", "max_memory":
            guard let value = setting.value else {
                memoryLimit = nil
                return
            }
            guard let bytes = Limits.parseBytes(value) else {
                throw BindError.invalidSettingValue(setting: "memory_limit", expected: "a size such as '512MB' or '2GiB'",
                                                    found: value, range: setting.valueRange ?? setting.name.range)
            }
            memoryLimit = bytes
        default:
            let suggestion = nearestName(to: name, in: SessionSettings.names)
            throw BindError.unknownSetting(name, suggestion: suggestion, range: setting.name.range)
        }
    }

    /// A BOOLEAN setting's value: true / false, on / off, 1 / 0.
    private static func boolean(_ value: String, _ setting: Setting) throws -> Bool {
        switch value.lowercased() {
        case "true", "on", "1", "t", "yes": return true
        case "false", "off", "0", "f", "no": return false
        default:
            throw BindError.invalidSettingValue(setting: setting.name.name, expected: "true or false", found: value,
                                                range: setting.valueRange ?? setting.name.range)
        }
    }
}
