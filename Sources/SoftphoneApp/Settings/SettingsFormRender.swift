import SIPUserAgent
import TerminalUI

extension SettingsForm {
    /// The smallest area the form is drawn in; below it a "too small" notice is.
    static let minimumSize = (width: 40, height: 12)

    /// Draws the form inside `area` (and nothing outside it): a pane with the section tabs, the
    /// scrolling rows, the selected field's help, key hints, the last message and the buttons, and
    /// a confirm dialog over it when one is open.
    public func render(into buffer: inout CellBuffer, area: Rect) {
        render(into: &buffer, area: area, theme: .builtIn)
    }

    public func render(into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        let area = area.intersection(buffer.area)
        let small = TooSmall(
            minWidth: Self.minimumSize.width, minHeight: Self.minimumSize.height, style: theme[.warning])
        guard small.fits(area) else {
            small.render(into: &buffer, area: area)
            return
        }
        buffer.fill(area, style: theme[.text])
        Pane(
            title: "Settings", focused: true, style: theme[.border], focusedStyle: theme[.borderFocused],
            titleStyle: theme[.title]
        ).render(into: &buffer, area: area)
        let inner = Pane.inner(area)
        var painter = SettingsPainter(buffer: buffer, inner: inner, theme: theme)
        drawTabs(&painter, y: inner.y)
        let rowsTop = inner.y + 1
        let rowsBottom = inner.maxY - 5
        drawRows(&painter, top: rowsTop, count: rowsBottom - rowsTop, area: area)
        drawHelp(&painter, y: rowsBottom)
        drawHints(&painter, y: inner.maxY - 3)
        drawMessage(&painter, y: inner.maxY - 2)
        drawButtons(&painter, y: inner.maxY - 1)
        buffer = painter.buffer
        if let confirm { drawConfirm(confirm, into: &buffer, area: area, theme: theme) }
    }

    // MARK: Parts

    private func drawTabs(_ painter: inout SettingsPainter, y: Int) {
        let sections = SettingsSection.allCases.filter { section in fields.contains { $0.section == section } }
        let selected = selectedSection
        func mark(_ section: SettingsSection) -> String {
            fields.contains { $0.section == section && isModified($0) } ? "*" : ""
        }
        let full = sections.map { " \($0.title)\(mark($0)) " }
        let short = sections.map { " \($0.shortTitle)\(mark($0)) " }
        let labels: [String]
        if full.reduce(0, { $0 + $1.terminalWidth }) <= painter.inner.width {
            labels = full
        } else if short.reduce(0, { $0 + $1.terminalWidth }) <= painter.inner.width {
            labels = short
        } else {
            let position = (sections.firstIndex(of: selected) ?? 0) + 1
            let text = "◂ \(selected.title)\(mark(selected)) (\(position)/\(sections.count)) ▸"
            painter.put(text, x: painter.inner.x, y: y, style: painter.theme[.selected])
            return
        }
        var x = painter.inner.x
        for (section, label) in zip(sections, labels) {
            let invalid = fields.contains { $0.section == section && errors[$0.name] != nil }
            let style =
                section == selected
                ? painter.theme[.selected] : invalid ? painter.theme[.error] : painter.theme[.dimText]
            x += painter.put(label, x: x, y: y, style: style)
        }
    }

    /// The first line shown, page by page (pages overlap by two lines) so that the view stays put
    /// while the selection moves within it; a section heading just above the selection is kept.
    func scrollOffset(lineCount: Int, rows: Int) -> Int {
        guard lineCount > rows, rows > 2 else { return rows > 0 ? max(0, min(selection, lineCount - rows)) : 0 }
        let step = rows - 2
        var offset = min((selection / step) * step, lineCount - rows)
        if offset == selection, offset > 0, case .heading = lines[offset - 1] { offset -= 1 }
        return offset
    }

    private func drawRows(_ painter: inout SettingsPainter, top: Int, count: Int, area: Rect) {
        guard count > 0 else { return }
        let lines = self.lines
        let offset = scrollOffset(lineCount: lines.count, rows: count)
        for row in 0..<count {
            let index = offset + row
            guard lines.indices.contains(index) else { break }
            drawLine(&painter, lines[index], y: top + row, selected: index == selection)
        }
        if offset > 0 { painter.buffer.put("▲", at: area.maxX - 1, y: top, style: painter.theme[.borderFocused]) }
        if offset + count < lines.count {
            painter.buffer.put("▼", at: area.maxX - 1, y: top + count - 1, style: painter.theme[.borderFocused])
        }
    }

    /// Column widths for the label and the effect badge at this width.
    private func columns(_ width: Int) -> (label: Int, effect: Int) {
        (min(34, max(14, width * 9 / 20)), width >= 76 ? 14 : 7)
    }

    private func drawLine(_ painter: inout SettingsPainter, _ line: SettingsLine, y: Int, selected: Bool) {
        let theme = painter.theme
        let inner = painter.inner
        let base = selected ? theme[.selected] : theme[.text]
        if selected { painter.fill(y: y, style: base) }
        switch line {
        case .heading(let section):
            let title = "── \(section.title) "
            let rule = String(repeating: "─", count: max(0, inner.width - title.terminalWidth))
            painter.put(title + rule, x: inner.x, y: y, style: theme[.title])
        case .field(let index):
            drawField(&painter, fields[index], y: y, selected: selected, base: base)
        case .item(let index, let item):
            drawItem(&painter, fields[index], item: item, y: y, selected: selected, base: base)
        case .add(let index):
            let noun =
                fields[index].editor == .sockets
                ? "socket"
                : fields[index].editor == .bindings
                    ? "binding (action = KEY)" : fields[index].name == "sipterm.codecs" ? "codec" : "header line"
            painter.put("    + add \(noun)", x: inner.x + 1, y: y, style: selected ? base : theme[.dimText])
        }
    }

    private func drawField(
        _ painter: inout SettingsPainter, _ field: SettingsField, y: Int, selected: Bool, base: Style
    ) {
        let theme = painter.theme
        let inner = painter.inner
        let (labelWidth, effectWidth) = columns(inner.width)
        let invalid = errors[field.name] != nil || (selected && editing != nil && editError != nil)
        var labelStyle = invalid ? theme[.error] : base
        if selected, invalid { labelStyle.bg = base.bg }
        painter.put(isModified(field) ? "*" : " ", x: inner.x, y: y, style: selected ? base : theme[.warning])
        var label = field.label + " "
        let leader = max(0, labelWidth - 1 - label.terminalWidth)
        label += String(repeating: "·", count: leader)
        painter.put(label, x: inner.x + 1, y: y, style: labelStyle, limit: labelWidth - 1)
        let valueX = inner.x + labelWidth + 1
        let valueWidth = inner.width - labelWidth - 1 - effectWidth - 1
        if selected, editing != nil, field.editor.isTextual {
            drawEditing(&painter, field, x: valueX, y: y, width: valueWidth)
        } else {
            let (text, dim) = displayValue(field)
            var style = dim ? theme[.dimText] : base
            if invalid { style = theme[.error] }
            if selected { style.bg = base.bg }
            painter.put((invalid ? "✗ " : "") + text, x: valueX, y: y, style: style, limit: valueWidth)
        }
        let effect = effectWidth >= 14 ? field.parameter.effect.description : Self.shortEffect(field.parameter.effect)
        let effectX = inner.maxX - effectWidth
        var effectStyle = theme[.dimText]
        if selected { effectStyle.bg = base.bg }
        painter.put(effect, x: effectX, y: y, style: effectStyle, limit: effectWidth)
    }

    private func drawEditing(_ painter: inout SettingsPainter, _ field: SettingsField, x: Int, y: Int, width: Int) {
        guard let input = editing, width > 0 else { return }
        var shown = input
        if field.editor == .secret, !revealed.contains(field.name) {
            shown = TextInput(value: String(repeating: "•", count: input.value.count))
            for _ in input.cursor..<input.value.count { shown.left() }
        }
        let style = editError == nil ? painter.theme[.text] : painter.theme[.error]
        shown.render(
            into: &painter.buffer, area: Rect(x: x, y: y, width: width, height: 1), style: style,
            cursorStyle: Style(fg: style.fg, bg: style.bg, attributes: style.attributes.union(.reverse)))
    }

    private func drawItem(
        _ painter: inout SettingsPainter, _ field: SettingsField, item: Int, y: Int, selected: Bool, base: Style
    ) {
        let theme = painter.theme
        let inner = painter.inner
        let prefix = "    \(item + 1). "
        let x = inner.x + 1 + painter.put(prefix, x: inner.x + 1, y: y, style: selected ? base : theme[.dimText])
        let width = inner.maxX - x
        if selected, let input = editing {
            let style = editError == nil ? theme[.text] : theme[.error]
            input.render(
                into: &painter.buffer, area: Rect(x: x, y: y, width: width, height: 1), style: style,
                cursorStyle: Style(fg: style.fg, bg: style.bg, attributes: style.attributes.union(.reverse)))
            return
        }
        var text = field.itemText(item)
        if field.editor == .sockets {
            let socket = field.socketItems[item]
            if socket.weight != 0 { text += "  weight \(socket.weight)" }
            let state = socketState(socket.url)
            painter.put(text, x: x, y: y, style: base, limit: max(0, width - 14))
            let stateStyle: Style
            switch state {
            case "connected": stateStyle = theme[.registered]
            case "connecting": stateStyle = theme[.connecting]
            default: stateStyle = theme[.dimText]
            }
            var styled = selected ? base : stateStyle
            styled.fg = stateStyle.fg
            painter.put("● " + state, x: inner.maxX - 13, y: y, style: styled, limit: 13)
        } else {
            painter.put(text, x: x, y: y, style: base, limit: width)
        }
    }

    private func drawHelp(_ painter: inout SettingsPainter, y: Int) {
        guard let index = selectedField else { return }
        let field = fields[index]
        let parameter = field.parameter
        let theme = painter.theme
        if let error = (editing != nil ? editError : nil) ?? errors[field.name] {
            // The value is on the row above: show the rule, over both help lines when it is long.
            let lines = SettingsPainter.wrap("✗ \(field.name): \(Self.rule(error, field))", width: painter.inner.width)
            for (n, line) in lines.prefix(2).enumerated() {
                painter.put(line, x: painter.inner.x, y: y + n, style: theme[.error])
            }
            if lines.count > 1 { return }
        } else {
            painter.put(parameter.help, x: painter.inner.x, y: y, style: theme[.text])
        }
        let name = parameter.fileSection == nil ? "JsSIP: \(parameter.name)" : "sipterm: [sipterm] \(parameter.fileKey)"
        let fallback = parameter.defaultValue.map { "\(SettingsField.text(of: $0)) (JsSIP: \(parameter.jssipDefault))" }
        let info = "\(name) · default: \(fallback ?? parameter.jssipDefault) · takes effect: \(parameter.effect)"
        painter.put(info, x: painter.inner.x, y: y + 1, style: theme[.dimText])
    }

    private func drawHints(_ painter: inout SettingsPainter, y: Int) {
        let area = Rect(x: painter.inner.x, y: y, width: painter.inner.width, height: 1)
        KeyHintBar(items: hints, keyStyle: painter.theme[.hintKey], labelStyle: painter.theme[.hintLabel])
            .render(into: &painter.buffer, area: area)
    }

    /// The keys that do something on the selected row, most useful first.
    var hints: [(key: String, label: String)] {
        if editing != nil {
            var items: [(key: String, label: String)] = [("Enter", "accept"), ("Esc", "cancel")]
            if let index = selectedField, fields[index].editor == .secret { items.append(("^V", "reveal")) }
            return items + [("^U", "clear")]
        }
        guard let line = selectedLine, let index = line.fieldIndex else { return [] }
        let field = fields[index]
        switch line {
        case .heading: return []
        case .add: return [("Enter", "add"), ("↑↓", "move")]
        case .item:
            var items: [(key: String, label: String)] = [("Enter", "edit"), ("n", "new"), ("d", "delete")]
            items.append(("J/K", "move down/up"))
            if field.editor == .sockets { items.append(("+/-", "weight")) }
            return items
        case .field: break
        }
        var items: [(key: String, label: String)]
        switch field.editor {
        case .toggle: items = [("Space", "toggle")]
        case .choice: items = [("←→", "change")]
        case .sockets, .lines, .bindings: items = [("Enter", "edit list")]
        case .secret: items = [("Enter", "edit"), ("v", revealed.contains(field.name) ? "hide" : "reveal")]
        case .uuid: items = [("Enter", "edit"), ("g", "new UUID")]
        case .text, .sipURI, .integer: items = [("Enter", "edit")]
        }
        return items + [("x", "default"), ("PgUp/PgDn", "section")]
    }

    private func drawMessage(_ painter: inout SettingsPainter, y: Int) {
        let theme = painter.theme
        if let message {
            painter.put(message.text, x: painter.inner.x, y: y, style: message.isError ? theme[.error] : theme[.text])
            return
        }
        var state: [String] = []
        if !isValid { state.append("\(errors.count) invalid") }
        if hasUnappliedChanges { state.append("unapplied changes") }
        if hasUnsavedChanges { state.append("unsaved changes") }
        painter.put(
            state.isEmpty ? "No changes." : state.joined(separator: " · "), x: painter.inner.x, y: y,
            style: isValid ? theme[.dimText] : theme[.error])
    }

    private func drawButtons(_ painter: inout SettingsPainter, y: Int) {
        let theme = painter.theme
        var disabled = theme[.dimText]
        disabled.attributes.insert(.dim)
        let buttons: [(String, Bool)] = [
            ("[ Apply F5 ]", isValid), ("[ Save F6 ]", isValid), ("[ Revert r ]", true), ("[ Close Esc ]", true),
        ]
        var x = painter.inner.x
        for (label, enabled) in buttons {
            x += painter.put(label, x: x, y: y, style: enabled ? theme[.dialogButton] : disabled) + 1
        }
    }

    private func drawConfirm(_ confirm: SettingsConfirm, into buffer: inout CellBuffer, area: Rect, theme: Theme) {
        let width = max(10, min(area.width - 6, 64))
        let lines = confirm.lines.flatMap { SettingsPainter.wrap($0, width: width) }
        Dialog(
            title: confirm.title, lines: Array(lines.prefix(max(1, area.height - 4))), buttons: ["Yes", "No"],
            selectedButton: confirm.selectedButton, style: theme[.dialog], buttonStyle: theme[.dialogButton],
            selectedButtonStyle: theme[.dialogButtonSelected]
        ).render(into: &buffer, area: area)
    }

    // MARK: Values as shown

    /// Whether the field differs from the running value (the row's `*`).
    func isModified(_ field: SettingsField) -> Bool {
        !Self.equivalent(field.normalized ?? field.configValue, current[field.name], field.parameter)
    }

    /// The value column's text, and whether it is a default (drawn dim).
    func displayValue(_ field: SettingsField) -> (String, Bool) {
        guard let value = field.value, !value.isEmpty else {
            switch field.editor {
            case .toggle, .choice:
                if let fallback = field.parameter.defaultValue {
                    return (Self.shown(fallback, field) + " (default)", true)
                }
            default: break
            }
            if let items = field.parameter.defaultValue?.arrayValue {
                return (items.map { SettingsField.text(of: $0) }.joined(separator: ", ") + " (default)", true)
            }
            if let fallback = field.parameter.defaultValue {
                return ("\(SettingsField.text(of: fallback)) (default)", true)
            }
            return ("(default: \(field.parameter.jssipDefault))", true)
        }
        return (Self.shown(field.normalized ?? value, field, revealed: revealed.contains(field.name)), false)
    }

    static func shown(_ value: ConfigValue, _ field: SettingsField, revealed: Bool = false) -> String {
        switch field.editor {
        case .secret: return revealed ? SettingsField.text(of: value) : Configuration.mask
        case .toggle: return value.boolValue == true ? "on" : value.boolValue == false ? "off" : value.description
        case .choice: return "‹ \(SettingsField.text(of: value)) ›"
        case .sockets, .lines, .bindings:
            let count = field.itemCount
            return count == 1 ? "1 item" : "\(count) items"
        default: return SettingsField.text(of: value)
        }
    }

    /// A validator's message without its "invalid value X: " prefix (the value is on screen).
    static func rule(_ reason: String, _ field: SettingsField) -> String {
        guard reason.hasPrefix("invalid value ") else { return reason }
        let shown = field.configValue.map(field.parameter.shown) ?? ""
        let prefix = "invalid value \(shown): "
        return reason.hasPrefix(prefix) ? String(reason.dropFirst(prefix.count)) : reason
    }

    static func shortEffect(_ effect: LiveEffect) -> String {
        switch effect {
        case .immediate: return "now"
        case .nextRequest: return "next"
        case .reRegister: return "re-reg"
        case .reconnect: return "reconn"
        }
    }

    /// The state reported for a socket URL, matched as typed or normalised.
    func socketState(_ url: String) -> String {
        if let state = socketStates[url] { return state }
        if let normalized = try? Parameters.named("sockets")?.validate(.string(url)),
            let canonical = normalized.arrayValue?.first.map({ SettingsField.text(of: $0) }),
            let state = socketStates[canonical]
        {
            return state
        }
        return "idle"
    }
}
