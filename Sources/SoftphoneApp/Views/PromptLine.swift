import TerminalUI

/// The line above the hints: the open prompt with its cursor, else the latest notice.
enum PromptLine {
    static func render(_ state: AppState, theme: Theme, into buffer: inout CellBuffer, area: Rect) {
        if let prompt = state.prompt {
            let used = buffer.put(prompt.label, at: area.x, y: area.y, style: theme[.title], maxWidth: area.width)
            prompt.input.render(
                into: &buffer, area: Rect(x: area.x + used, y: area.y, width: area.width - used, height: 1),
                style: theme[.text], cursorStyle: Style(attributes: .reverse))
            return
        }
        guard let notice = state.notice else { return }
        buffer.put(
            notice.text, at: area.x, y: area.y, style: theme[notice.isError ? .error : .dimText], maxWidth: area.width,
            truncate: true)
    }
}
