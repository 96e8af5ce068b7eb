import SIPUserAgent
import Testing

/// RFC 3842 bodies: names in any case, urgent counts, the message part after the blank line
/// ignored, and what is refused.
@Suite struct MessageSummaryTests {
    @Test func summariesParse() throws {
        let summary = try MessageSummary(
            parsing: "messages-waiting: YES\r\nVoice-Message: 3/1\r\nFax-Message: 0/2 (0/1)\r\n\r\nTo: x\r\n")
        #expect(summary.messagesWaiting)
        #expect(summary.voice == MessageSummary.Counts(new: 3, old: 1))
        #expect(summary.counts["fax-message"] == MessageSummary.Counts(new: 0, old: 2, urgentNew: 0, urgentOld: 1))
        for bad in ["", "Voice-Message: 1/0", "Messages-Waiting: maybe", "Messages-Waiting: yes\nVoice-Message: 1/x"] {
            #expect(throws: MessageSummary.Invalid.self, "\(bad)") { try MessageSummary(parsing: bad) }
        }
    }
}
