/// One screen line of the form: a section heading, a parameter, an item of a list parameter, or
/// the "add" row under a list.
enum SettingsLine: Sendable, Equatable {
    case heading(SettingsSection)
    case field(Int)
    case item(field: Int, index: Int)
    case add(field: Int)

    var isSelectable: Bool {
        if case .heading = self { return false }
        return true
    }

    /// The field the line belongs to (nil for a heading).
    var fieldIndex: Int? {
        switch self {
        case .heading: return nil
        case .field(let index), .item(let index, _), .add(let index): return index
        }
    }
}

extension SettingsForm {
    /// Every line, top to bottom: each section's heading, then its fields, list items under their field.
    var lines: [SettingsLine] {
        var out: [SettingsLine] = []
        var section: SettingsSection?
        for (index, field) in fields.enumerated() {
            if field.section != section {
                section = field.section
                out.append(.heading(field.section))
            }
            out.append(.field(index))
            if field.editor.isList {
                for item in 0..<field.itemCount { out.append(.item(field: index, index: item)) }
                out.append(.add(field: index))
            }
        }
        return out
    }

    var selectedLine: SettingsLine? {
        let lines = self.lines
        return lines.indices.contains(selection) ? lines[selection] : nil
    }

    /// The selected parameter's field index.
    var selectedField: Int? { selectedLine?.fieldIndex }

    /// The section the selection is in.
    var selectedSection: SettingsSection { selectedField.map { fields[$0].section } ?? .account }

    /// The name of the selected parameter (for the app and tests).
    public var selectedParameter: String? { selectedField.map { fields[$0].name } }

    /// Selects a parameter's row; false when there is no such parameter.
    @discardableResult
    public mutating func select(_ name: String) -> Bool {
        guard let index = fields.firstIndex(where: { $0.name == name }),
            let line = lines.firstIndex(of: .field(index))
        else { return false }
        editing = nil
        selection = line
        return true
    }

    /// Moves the selection by `offset` selectable lines, stopping at the ends.
    mutating func move(by offset: Int) {
        let lines = self.lines
        var target = selection
        var remaining = abs(offset)
        let step = offset < 0 ? -1 : 1
        var probe = selection
        while remaining > 0 {
            probe += step
            guard lines.indices.contains(probe) else { break }
            if lines[probe].isSelectable {
                target = probe
                remaining -= 1
            }
        }
        selection = target
    }

    /// Jumps to the first field of the next (+1) or previous (-1) section.
    mutating func jumpSection(by offset: Int) {
        let lines = self.lines
        let sections = SettingsSection.allCases.filter { section in fields.contains { $0.section == section } }
        guard let here = sections.firstIndex(of: selectedSection) else { return }
        let next = min(max(0, here + offset), sections.count - 1)
        guard let heading = lines.firstIndex(of: .heading(sections[next])) else { return }
        selection = lines[heading...].firstIndex(where: \.isSelectable) ?? selection
    }
}
