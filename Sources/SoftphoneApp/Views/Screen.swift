import Foundation
import TerminalUI

/// The whole screen as a function of the state: status bar, demo banner, the panes, the
/// prompt or notice line, the key-hint bar, and any overlay on top. Below 60×16 it says the
/// terminal is too small instead.
public enum Screen {
    public static let minimumWidth = 60
    public static let minimumHeight = 16

    public static func render(_ state: AppState, theme: Theme, into buffer: inout CellBuffer) {
        let area = buffer.area
        buffer.fill(area, style: theme[.text])
        let tooSmall = TooSmall(minWidth: minimumWidth, minHeight: minimumHeight, style: theme[.warning])
        guard tooSmall.fits(area) else {
            tooSmall.render(into: &buffer, area: area)
            return
        }
        var rows: [Constraint] = [.fixed(1)]
        if state.demo != nil { rows.append(.fixed(1)) }
        rows += [.fill, .fixed(1), .fixed(1)]
        let parts = Layout.vertical(area, rows)
        StatusLine.render(state, theme: theme, into: &buffer, area: parts[0])
        if let demo = state.demo { banner(demo, keys: state.keys, theme: theme, into: &buffer, area: parts[1]) }
        panes(state, theme: theme, into: &buffer, area: parts[parts.count - 3])
        PromptLine.render(state, theme: theme, into: &buffer, area: parts[parts.count - 2])
        hints(state, theme: theme, into: &buffer, area: parts[parts.count - 1])
        OverlayView.render(state, theme: theme, into: &buffer, area: area)
    }

    /// The panes' rectangles for a body area: Account | Registration on top, Calls, then
    /// SIP trace | Messages filling the rest; with contacts, Contacts above Messages (a row
    /// each, up to half the column).
    public static func layout(_ body: Rect, callCount: Int, contactCount: Int = 0) -> [PaneID: Rect] {
        let top = body.height >= 40 ? 8 : 7
        let calls = min(max(5, callCount + 3), max(5, body.height / 3))
        let rows = Layout.vertical(body, [.fixed(top), .fixed(calls), .fill])
        let upper = Layout.horizontal(rows[0], [.percent(50), .fill])
        let lower = Layout.horizontal(rows[2], [.percent(body.width >= 120 ? 60 : 55), .fill])
        var rects: [PaneID: Rect] = [
            .account: upper[0], .registration: upper[1], .calls: rows[1], .trace: lower[0], .messages: lower[1],
        ]
        if contactCount > 0 {
            let right = Layout.vertical(lower[1], [.fixed(min(contactCount + 2, max(3, lower[1].height / 2))), .fill])
            rects[.contacts] = right[0]
            rects[.messages] = right[1]
        }
        return rects
    }

    private static func panes(_ state: AppState, theme: Theme, into buffer: inout CellBuffer, area: Rect) {
        let rects = layout(area, callCount: state.calls.count, contactCount: state.contacts.count)
        for pane in PaneID.allCases {
            guard let rect = rects[pane], rect.width >= 4, rect.height >= 3 else { continue }
            var title = "\(pane.rawValue + 1) \(pane.title)"
            if pane == .trace {
                if state.trace.showLadder { title += " — ladder" }
                if !state.trace.filter.isEmpty { title += " — filter “\(state.trace.filter)”" }
            }
            Pane(
                title: title, focused: state.focus == pane, style: theme[.border], focusedStyle: theme[.borderFocused],
                titleStyle: theme[.title]
            ).render(into: &buffer, area: rect)
            let inner = Pane.inner(rect)
            switch pane {
            case .account: AccountView.render(state, theme: theme, into: &buffer, area: inner)
            case .registration: RegistrationView.render(state, theme: theme, into: &buffer, area: inner)
            case .calls: CallsView.render(state, theme: theme, into: &buffer, area: inner)
            case .trace: TraceView.render(state, theme: theme, into: &buffer, area: inner)
            case .messages: MessagesView.render(state, theme: theme, into: &buffer, area: inner)
            case .contacts: ContactsView.render(state, theme: theme, into: &buffer, area: inner)
            }
        }
    }

    private static func banner(
        _ demo: DemoBanner, keys: KeyMap, theme: Theme, into buffer: inout CellBuffer, area: Rect
    ) {
        let text =
            "DEMO LINE (no account configured): call \(demo.extensions.joined(separator: ", ")) · "
            + "\(keys.shortSpelling(.settings)) Settings to set up your own account"
        buffer.fill(area, style: theme[.banner])
        buffer.put(text, at: area.x, y: area.y, style: theme[.banner], maxWidth: area.width, truncate: true)
    }

    private static func hints(_ state: AppState, theme: Theme, into buffer: inout CellBuffer, area: Rect) {
        let items = UIAction.hinted.compactMap { action -> (key: String, label: String)? in
            let key = state.keys.shortSpelling(action)
            return key.isEmpty ? nil : (key, action.label)
        }
        KeyHintBar(items: items, keyStyle: theme[.hintKey], labelStyle: theme[.hintLabel]).render(
            into: &buffer, area: area)
    }
}
