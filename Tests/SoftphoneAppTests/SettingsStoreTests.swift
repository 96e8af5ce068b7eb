import Foundation
import SIPMessage
import SIPUserAgent
import Testing

@testable import SoftphoneApp

@Suite("Settings store")
struct SettingsStoreTests {
    private func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "sipterm-settings-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("writes mode 0600 and stores ha1 + realm instead of the password")
    func writesHA1() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = ConfigFile(path: directory + "/config.toml")
        var values = settingsBase
        values["realm"] = .string("example.com")
        try SettingsStore.save(values: values, to: file)
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let text = try String(contentsOfFile: file.path, encoding: .utf8)
        #expect(!text.contains("s3cret-pw"))
        #expect(!text.contains("password"))
        let ha1 = DigestAlgorithm.md5.hash("alice:example.com:s3cret-pw")
        #expect(text.contains("ha1 = \"\(ha1)\""))
        #expect(text.contains("realm = \"example.com\""))
        // The agent reads it back.
        let loaded = try file.load().configuration
        #expect(loaded.ha1 == ha1)
        #expect(loaded.password == nil)
    }

    @Test("authorization_user is the digest user when set")
    func authorizationUser() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = ConfigFile(path: directory + "/config.toml")
        var values = settingsBase
        values["realm"] = .string("example.com")
        values["authorization_user"] = .string("1001")
        try SettingsStore.save(values: values, to: file)
        let text = try String(contentsOfFile: file.path, encoding: .utf8)
        #expect(text.contains(DigestAlgorithm.md5.hash("1001:example.com:s3cret-pw")))
    }

    @Test("with store_ha1 off, or without a realm, the password is kept")
    func keepsPassword() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = ConfigFile(path: directory + "/config.toml")
        try SettingsStore.save(values: settingsBase, to: file)
        #expect(try String(contentsOfFile: file.path, encoding: .utf8).contains("s3cret-pw"))
        var values = settingsBase
        values["realm"] = .string("example.com")
        values["sipterm.store_ha1"] = .bool(false)
        try SettingsStore.save(values: values, to: file)
        #expect(try String(contentsOfFile: file.path, encoding: .utf8).contains("s3cret-pw"))
    }

    @Test("a read-only directory: the save throws a clear error, the old file and the form's values stay")
    func readOnly() throws {
        let directory = try temporaryDirectory()
        defer {
            chmod(directory, 0o700)
            try? FileManager.default.removeItem(atPath: directory)
        }
        let file = ConfigFile(path: directory + "/config.toml")
        try SettingsStore.save(values: settingsBase, to: file)
        let before = try String(contentsOfFile: file.path, encoding: .utf8)
        chmod(directory, 0o500)
        // Root ignores the mode; then the write fails another way: config.toml's rename target is a
        // non-empty directory in a second, writable place.
        var target = file
        if access(directory, W_OK) == 0 {
            chmod(directory, 0o700)
            try FileManager.default.createDirectory(
                atPath: directory + "/taken/config.toml/inside", withIntermediateDirectories: true)
            target = ConfigFile(path: directory + "/taken/config.toml")
        }
        var form = makeForm()
        form.set("display_name", to: "Frank")
        guard case .save(let values)? = form.handle(.character("s")) else {
            Issue.record("no save request")
            return
        }
        do {
            try SettingsStore.save(values: values, to: target)
            Issue.record("the save did not fail")
        } catch {
            #expect(error.message.contains("cannot write"))
            #expect(error.message.contains(target.path))
            form.report(error.message, isError: true)
        }
        #expect(try String(contentsOfFile: file.path, encoding: .utf8) == before)
        #expect(form.values["display_name"] == .string("Frank"))
        #expect(form.hasUnsavedChanges)
    }

    @Test("invalid values are not written")
    func invalid() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = ConfigFile(path: directory + "/config.toml")
        var values = settingsBase
        values["register_expires"] = .string("soon")
        #expect(throws: SettingsSaveError.self) { try SettingsStore.save(values: values, to: file) }
        #expect(!file.exists)
    }
}
