import Testing
import Web

@Suite("Server configuration")
struct ConfigurationTests {
    @Test("With no GATEHOUSE_* variables every setting has its documented default")
    func defaults() throws {
        let configuration = try Configuration(environment: ["HOME": "/root", "PORT": "not ours"])
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.dataDirectory == "./data")
        #expect(configuration.flowsDirectory == "./flows")
        #expect(configuration.terraformBinary == "terraform")
        #expect(configuration == Configuration())
    }

    @Test("Every variable overrides its setting, trimmed of surrounding whitespace")
    func overrides() throws {
        let configuration = try Configuration(environment: [
            "GATEHOUSE_HOST": "0.0.0.0",
            "GATEHOUSE_PORT": " 9090\n",
            "GATEHOUSE_DATA": "/var/lib/gatehouse",
            "GATEHOUSE_FLOWS": "/etc/gatehouse/flows",
            "GATEHOUSE_TERRAFORM_BIN": "/usr/local/bin/tofu",
        ])
        #expect(
            configuration
                == Configuration(
                    host: "0.0.0.0",
                    port: 9090,
                    dataDirectory: "/var/lib/gatehouse",
                    flowsDirectory: "/etc/gatehouse/flows",
                    terraformBinary: "/usr/local/bin/tofu"
                )
        )
    }

    @Test("Ports at both ends of the range are accepted", arguments: [("1", 1), ("65535", 65535), ("443", 443)])
    func portRange(text: String, port: Int) throws {
        #expect(try Configuration(environment: ["GATEHOUSE_PORT": text]).port == port)
    }

    @Test(
        "A bad value is an error naming the variable and the value",
        arguments: [
            ("GATEHOUSE_PORT", "0"),
            ("GATEHOUSE_PORT", "65536"),
            ("GATEHOUSE_PORT", "-1"),
            ("GATEHOUSE_PORT", "80a"),
            ("GATEHOUSE_PORT", " 80a\n"),
            ("GATEHOUSE_PORT", "8080.0"),
            ("GATEHOUSE_PORT", "99999999999999999999999"),
            ("GATEHOUSE_PORT", ""),
            ("GATEHOUSE_HOST", "local host"),
            ("GATEHOUSE_HOST", "   "),
            ("GATEHOUSE_DATA", ""),
            ("GATEHOUSE_FLOWS", " "),
            ("GATEHOUSE_TERRAFORM_BIN", ""),
            ("GATEHOUSE_APPROVAL_REMINDER", "tomorrow"),
            ("GATEHOUSE_APPROVAL_REMINDER", "PT0S"),
        ]
    )
    func invalid(variable: String, value: String) {
        let error = #expect(throws: ConfigurationError.self) {
            try Configuration(environment: [variable: value])
        }
        guard case .invalidValue(let reportedVariable, let reportedValue, _) = error else { return }
        #expect(reportedVariable == variable)
        #expect(reportedValue == value)
        #expect(error?.description.hasPrefix("\(variable)=\"") == true)
    }

    @Test("The port error says what a valid port is")
    func portMessage() {
        #expect(
            ConfigurationError.invalidValue(variable: "GATEHOUSE_PORT", value: "70000", expected: "a port number from 1 to 65535").description
                == #"GATEHOUSE_PORT="70000" is not valid: expected a port number from 1 to 65535."#
        )
        #expect(throws: ConfigurationError.invalidValue(variable: "GATEHOUSE_PORT", value: "70000", expected: "a port number from 1 to 65535")) {
            try Configuration(environment: ["GATEHOUSE_PORT": "70000"])
        }
    }
}
