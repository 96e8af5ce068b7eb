import Foundation
import SIPUserAgent
import TerminalUI

extension SettingsForm {
    /// One key press; returns what the app must do, if anything.
    public mutating func handle(_ key: Key) -> SettingsRequest? {
        if confirm != nil { return handleConfirm(key) }
        if editing != nil {
            switch key {
            case .function, .up, .down, .tab, .backTab, .pageUp, .pageDown:
                commitEdit()  // then the key does what it does outside an edit
            default:
                handleEdit(key)
                return nil
            }
        }
        switch key {
        case .up, .character("k"), .backTab: move(by: -1)
        case .down, .character("j"), .tab: move(by: 1)
        case .pageUp: jumpSection(by: -1)
        case .pageDown: jumpSection(by: 1)
        case .home: selection = lines.firstIndex(where: \.isSelectable) ?? 0
        case .end: selection = lines.lastIndex(where: \.isSelectable) ?? 0
        case .character("a"), .function(5): return requestApply()
        case .character("s"), .function(6): return requestSave()
        case .character("r"): return requestRevert()
        case .escape, .function(10), .character("q"): return requestClose()
        case .character("v"): toggleReveal()
        default: return handleRowKey(key)
        }
        return nil
    }

    // MARK: Row keys

    private mutating func handleRowKey(_ key: Key) -> SettingsRequest? {
        guard let line = selectedLine, let index = line.fieldIndex else { return nil }
        let field = fields[index]
        switch line {
        case .heading: return nil
        case .add:
            if key == .enter || key == .character("n") || key == .character("+") {
                fields[index].insertItem(at: field.itemCount, "")  // the new item's row is where "add" was
                editing = TextInput(value: "")
            }
            return nil
        case .item(_, let item): return handleItemKey(key, field: index, item: item)
        case .field: break
        }
        switch (field.editor, key) {
        case (.toggle, .enter), (.toggle, .character(" ")):
            fields[index].value = .bool(!(field.effective?.boolValue ?? false))
        case (.choice(let options), .enter), (.choice(let options), .character(" ")), (.choice(let options), .right):
            return cycle(index, options, by: 1)
        case (.choice(let options), .left):
            return cycle(index, options, by: -1)
        case (.uuid, .character("g")):
            fields[index].value = .string(UUID().uuidString.lowercased())
            message = ("New instance_id generated (re-registers when applied).", false)
        case (.sockets, .enter), (.lines, .enter), (.bindings, .enter):
            move(by: 1)  // into the list: its first item, or "add" which starts a new one when empty
            if field.itemCount == 0 { return handleRowKey(.enter) }
            return nil
        case (_, .enter):
            guard field.editor.isTextual else { return nil }
            editing = TextInput(value: SettingsField.text(of: field.value))
            return nil
        case (_, .delete), (_, .character("x")):
            fields[index].value = nil
            message = ("\(field.name) reset to its default.", false)
        default: return nil
        }
        revalidate()
        return nil
    }

    private mutating func cycle(_ index: Int, _ options: [String], by step: Int) -> SettingsRequest? {
        guard !options.isEmpty else { return nil }
        let field = fields[index]
        let now = field.effective?.stringValue ?? options[0]
        let position = options.firstIndex { $0.lowercased() == now.lowercased() } ?? -step
        let next = options[((position + step) % options.count + options.count) % options.count]
        fields[index].value = .string(next)
        revalidate()
        return field.name == "sipterm.theme" ? .previewTheme(next) : nil
    }

    private mutating func handleItemKey(_ key: Key, field index: Int, item: Int) -> SettingsRequest? {
        switch key {
        case .enter:
            editing = TextInput(value: fields[index].itemText(item))
            return nil
        case .delete, .character("d"), .character("x"):
            fields[index].removeItem(item)
            if fields[index].itemCount == item, item > 0 { selection -= 1 }
        case .character("n"):
            fields[index].insertItem(at: item + 1, "")
            selection += 1
            editing = TextInput(value: "")
            return nil
        case .character("K"):
            if fields[index].moveItem(item, by: -1) { selection -= 1 }
        case .character("J"):
            if fields[index].moveItem(item, by: 1) { selection += 1 }
        case .character("+"), .character("-"):
            guard fields[index].editor == .sockets else { return nil }
            var items = fields[index].socketItems
            items[item].weight = max(0, items[item].weight + (key == .character("+") ? 1 : -1))
            fields[index].socketItems = items
        default: return nil
        }
        revalidate()
        return nil
    }

    private mutating func toggleReveal() {
        guard let index = selectedField, fields[index].editor == .secret else { return }
        let name = fields[index].name
        if revealed.contains(name) { revealed.remove(name) } else { revealed.insert(name) }
    }

    // MARK: Text editing

    private mutating func handleEdit(_ key: Key) {
        guard var input = editing else { return }
        switch key {
        case .character(let character): input.insert(String(character))
        case .backspace: input.backspace()
        case .delete: input.delete()
        case .left: input.left()
        case .right: input.right()
        case .home, .ctrl("a"): input.home()
        case .end, .ctrl("e"): input.end()
        case .ctrl("v"): toggleReveal()
        case .ctrl("u"): input = TextInput(value: "")
        case .enter:
            commitEdit()
            return
        case .escape:
            cancelEdit()
            return
        default: break
        }
        editing = input
    }

    /// Stores the edit in the field (an emptied text field is unset; an emptied item is removed).
    mutating func commitEdit() {
        guard let input = editing, let line = selectedLine, let index = line.fieldIndex else {
            editing = nil
            return
        }
        editing = nil
        let text = input.value
        switch line {
        case .item(_, let item):
            fields[index].setItem(item, text)
        default:
            fields[index].value = text.isEmpty ? nil : .string(text)
        }
        revalidate()
    }

    /// Drops the edit; a new list item that was never filled in goes away.
    mutating func cancelEdit() {
        editing = nil
        if case .item(let index, let item)? = selectedLine, fields[index].itemText(item).isEmpty {
            fields[index].removeItem(item)
            revalidate()
        }
    }

    /// The error the edit in progress would give, checked as it is typed.
    var editError: String? {
        guard let input = editing, let line = selectedLine, let index = line.fieldIndex else { return nil }
        var field = fields[index]
        switch line {
        case .item(_, let item): field.setItem(item, input.value.isEmpty ? " " : input.value)
        default: field.value = input.value.isEmpty ? nil : .string(input.value)
        }
        guard let value = field.configValue else { return nil }
        do {
            _ = try field.parameter.validate(value)
            return nil
        } catch {
            return error.reason
        }
    }

    // MARK: Apply, save, revert, close

    mutating func requestApply() -> SettingsRequest? {
        guard isValid else {
            let first = fields.first { errors[$0.name] != nil }.map { "\($0.name): \(errors[$0.name] ?? "")" } ?? ""
            message = ("Apply is disabled while a field is invalid — \(first)", true)
            return nil
        }
        let changes = self.changes
        guard !changes.isEmpty else {
            message = ("Nothing to apply: the form matches the running values.", false)
            return nil
        }
        let effect = changes.keys.compactMap { Parameters.named($0)?.effect }.max() ?? .immediate
        let names = changes.keys.sorted().joined(separator: ", ")
        switch effect {
        case .reconnect:
            confirm = SettingsConfirm(
                title: "Apply changes",
                lines: [
                    "Changes: \(names).",
                    "This reconnects to the SIP server (calls in progress may drop) and re-registers. Apply?",
                ], action: .apply(changes))
            return nil
        case .reRegister:
            confirm = SettingsConfirm(
                title: "Apply changes",
                lines: ["Changes: \(names).", "This re-registers with the registrar. Apply?"],
                action: .apply(changes))
            return nil
        case .immediate, .nextRequest:
            return startApply(changes)
        }
    }

    private mutating func startApply(_ changes: [String: ConfigValue]) -> SettingsRequest {
        pending = changes
        message = ("Applying…", false)
        return .apply(changes)
    }

    mutating func requestSave() -> SettingsRequest? {
        guard isValid else {
            message = ("Save is disabled while a field is invalid.", true)
            return nil
        }
        message = ("Saving…", false)
        return .save(values)
    }

    mutating func requestRevert() -> SettingsRequest? {
        guard hasUnappliedChanges || hasUnsavedChanges else { return .revert }
        confirm = SettingsConfirm(
            title: "Revert", lines: ["Discard the form's changes and reload the saved values?"], action: .revert)
        return nil
    }

    mutating func requestClose() -> SettingsRequest? {
        var lost: [String] = []
        if hasUnappliedChanges { lost.append("unapplied") }
        if hasUnsavedChanges, values != openedValues { lost.append("unsaved") }
        guard !lost.isEmpty else { return .close }
        confirm = SettingsConfirm(
            title: "Close settings",
            lines: ["There are \(lost.joined(separator: " and ")) changes.", "Close and discard them?"],
            action: .close)
        return nil
    }

    private mutating func handleConfirm(_ key: Key) -> SettingsRequest? {
        guard var dialog = confirm else { return nil }
        switch key {
        case .left, .right, .tab, .backTab:
            dialog.selectedButton = 1 - dialog.selectedButton
            confirm = dialog
            return nil
        case .character("y"), .character("Y"):
            break
        case .enter where dialog.selectedButton == 0:
            break
        case .enter, .escape, .character("n"), .character("N"):
            confirm = nil
            if case .rollback = dialog.action {
                message = ("Kept the new values, which the server refused; Revert or edit them.", true)
            }
            return nil
        default:
            return nil
        }
        confirm = nil
        switch dialog.action {
        case .apply(let changes): return startApply(changes)
        case .rollback(let values):
            for index in fields.indices {
                fields[index].load(lastWorking[fields[index].name])
            }
            revalidate()
            pending = values
            message = ("Rolling back to the last working values…", false)
            return .apply(values)
        case .close: return .close
        case .revert: return .revert
        }
    }
}
