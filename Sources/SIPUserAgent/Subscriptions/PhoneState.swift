import SIPMessage

/// The phone's own state served to watchers (`sipterm.serve_state`): presence as PIDF
/// (RFC 3863, with an RPID activity) and its calls as dialog-info (RFC 4235), the package busy
/// lamps watch. A SUBSCRIBE for either is answered by a notifier of sipterm's own, which sends
/// the state at once and again after every change.
extension UserAgent {
    static let servedPackages = ["presence": "application/pidf+xml", "dialog": "application/dialog-info+xml"]

    /// Takes a SUBSCRIBE for a served package; false when it is the app's to answer.
    func servePhoneState(_ request: SIPRequest, from source: Destination?) async -> Bool {
        guard configuration.servesState,
            let package = (try? request.headers.value(.event, as: EventValue.self))??.package.lowercased(),
            let contentType = Self.servedPackages[package], Notifier.problem(with: request) == nil
        else { return false }
        let notifier = Notifier(
            id: "ntf-" + RandomTokens.token(10), subscribe: request, source: source, contentType: contentType,
            pending: false, allowEvents: nil, extraHeaders: [], defaultExpires: nil)
        notifier.servedPackage = package
        notifiers[notifier.id] = notifier
        await receiveSubscribe(request, notifier: notifier, from: source)
        return true
    }

    /// A NOTIFY with the current state to every watcher of it.
    func notifyPhoneState() async {
        phoneStatePending = false
        await publishPresence()
        for notifier in notifiers.values {
            guard let package = notifier.servedPackage, notifier.state != .terminated else { continue }
            try? await sendNotify(notifier.id, body: phoneState(package, for: notifier))
        }
    }

    /// The body for `package`; dialog-info counts its versions per watcher.
    func phoneState(_ package: String, for notifier: Notifier) -> String {
        let entity = Self.xmlEscaped(addressOfRecord.description)
        let active = calls.values.filter { !$0.state.isEnded }.sorted { $0.id < $1.id }
        if package == "dialog" {
            let version = notifier.version
            notifier.version += 1
            var body = """
                <?xml version="1.0" encoding="UTF-8"?>
                <dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="\(version)" state="full" entity="\(entity)">

                """
            for call in active {
                let direction = call.direction == .local ? "initiator" : "recipient"
                let callID = Self.xmlEscaped(call.dialog?.callID ?? ((try? call.invite?.callID) ?? nil) ?? call.id)
                body += """
                      <dialog id="\(Self.xmlEscaped(call.id))" call-id="\(callID)" direction="\(direction)">
                        <state>\(Self.dialogState(call.state))</state>
                        <remote><identity>\(Self.xmlEscaped(call.remoteIdentity.uri.description))</identity></remote>
                      </dialog>

                    """
            }
            return body + "</dialog-info>\n"
        }
        return presenceDocument()
    }

    /// Our presence as PIDF with an RPID activity: on the phone during a call, busy with dnd,
    /// else what `sipterm.presence` says (available, away, busy).
    func presenceDocument() -> String {
        let entity = Self.xmlEscaped(addressOfRecord.description)
        let (activity, note): (String, String)
        if calls.values.contains(where: { !$0.state.isEnded }) {
            (activity, note) = ("on-the-phone", "On the phone")
        } else if configuration.doNotDisturb {
            (activity, note) = ("busy", "Do not disturb")
        } else {
            switch configuration.presence {
            case "away": (activity, note) = ("away", "Away")
            case "busy": (activity, note) = ("busy", "Busy")
            default: (activity, note) = ("", "Available")
            }
        }
        let person =
            activity.isEmpty
            ? "" : "  <dm:person id=\"p1\"><rpid:activities><rpid:\(activity)/></rpid:activities></dm:person>\n"
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="\(entity)">
              <tuple id="t1"><status><basic>open</basic></status><contact>\(entity)</contact></tuple>
            \(person)  <note>\(note)</note>
            </presence>

            """
    }

    /// RFC 4235 §3.7.1 for JsSIP's call states.
    static func dialogState(_ state: CallState) -> String {
        switch state {
        case .null, .inviteSent: return "trying"
        case .provisionalReceived, .inviteReceived, .waitingForAnswer: return "early"
        case .answered, .waitingForAck, .confirmed: return "confirmed"
        case .canceled, .terminated: return "terminated"
        }
    }

    static func xmlEscaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}

extension UAEvent {
    /// Events after which the phone's served state may read differently.
    var changesPhoneState: Bool {
        switch self {
        case .newRTCSession, .progress, .accepted, .confirmed, .ended, .failed: return true
        case .configChanged(let parameters, _):
            return parameters.contains("sipterm.dnd") || parameters.contains("sipterm.presence")
        default: return false
        }
    }
}
