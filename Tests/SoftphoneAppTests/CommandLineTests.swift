import Foundation
import Testing

@testable import SoftphoneApp
@testable import TerminalUI

/// The `:` command line: the agent's verbs, their aliases, and clear errors.
@Suite("Command line")
struct CommandLineTests {
    func run(_ line: String, with harness: ScreenHarness = ScreenHarness()) -> ScreenHarness {
        var harness = harness
        harness.key(.character(":"))
        harness.type(line)
        harness.key(.enter)
        return harness
    }

    @Test("verbs become effects")
    func verbs() {
        #expect(run("call bob").effects == [.call(target: "bob")])
        #expect(run("set register_expires 300").effects == [.set(name: "register_expires", value: "300")])
        #expect(run("set display_name Ålice Smith").effects == [.set(name: "display_name", value: "Ålice Smith")])
        #expect(run("get uri").effects == [.get(name: "uri")])
        #expect(run("register").effects == [.register])
        #expect(run("unregister").effects == [.unregister])
        #expect(run("save").effects == [.save])
        #expect(run("quit").effects == [.quit])
        #expect(run("message bob see you at 5").effects == [.sendMessage(target: "bob", body: "see you at 5")])
        #expect(run("theme light").effects == [.theme("light")])
        #expect(run("settings").effects == [.openSettings])
    }

    @Test("call verbs pick the current call or a line number")
    func callVerbs() {
        var harness = ScreenHarness()
        harness.activeCall("a")
        harness.activeCall("b")
        #expect(run("hold", with: harness).effects == [.hold(id: "b")])
        #expect(run("hangup 1", with: harness).effects == [.terminate(id: "a", statusCode: nil, reasonPhrase: nil)])
        #expect(run("dtmf 12#", with: harness).effects == [.sendDTMF(id: "b", tones: "12#")])
        #expect(run("transfer carol", with: harness).effects == [.refer(id: "b", target: "carol")])
        let missing = run("hold 7", with: harness)
        #expect(missing.effects.isEmpty)
        #expect(missing.state.notice?.text == "no such call on line 7")
    }

    @Test("unknown verbs and missing arguments say so")
    func errors() {
        let unknown = run("frobnicate")
        #expect(unknown.state.notice?.isError == true)
        #expect(unknown.state.notice?.text.contains("unknown command 'frobnicate'") == true)
        #expect(run("call").state.notice?.text == "usage: :call TARGET")
        #expect(run("hold").state.notice?.text == "no call for that")
    }

    @Test("history: ↑ brings back the last command")
    func history() {
        var harness = run("call bob")
        harness.key(.character(":"))
        harness.key(.up)
        harness.key(.enter)
        #expect(harness.effects == [.call(target: "bob"), .call(target: "bob")])
    }

    @Test("key names parse and spell back")
    func keyNames() {
        #expect(KeyName.parse("F5") == .function(5))
        #expect(KeyName.parse("x") == .character("x"))
        #expect(KeyName.parse("Ctrl-X") == .ctrl("x"))
        #expect(KeyName.parse("^b") == .ctrl("b"))
        #expect(KeyName.parse("Shift-Tab") == .backTab)
        #expect(KeyName.parse("PgDn") == .pageDown)
        #expect(KeyName.parse("Space") == .character(" "))
        #expect(KeyName.parse("F99") == nil)
        #expect(KeyName.parse("Hyper-Q") == nil)
        for action in UIAction.allCases {
            for key in action.defaultKeys {
                #expect(
                    KeyName.parse(KeyName.spell(key)) == key || KeyName.spell(key).count == 1
                        || [Key.up, .down, .left, .right].contains(key))
            }
        }
    }

    @Test("every command action has an F-key and a letter by default")
    func defaults() {
        for action in UIAction.hinted + [.message, .register, .reject, .busy] {
            let keys = action.defaultKeys
            #expect(keys.contains { if case .function = $0 { return true } else { return false } }, "\(action)")
            #expect(keys.contains { if case .character = $0 { return true } else { return false } }, "\(action)")
        }
        let all = UIAction.allCases.flatMap(\.defaultKeys)
        #expect(Set(all).count == all.count, "no key is bound twice")
    }
}
