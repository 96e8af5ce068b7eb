import Testing

@testable import SIPMedia

@Suite("RFC 4733 telephone events")
struct TelephoneEventTests {
    @Test func tonesMapToEventCodes() {
        #expect(TelephoneEvent(tone: "0")?.event == 0)
        #expect(TelephoneEvent(tone: "9")?.event == 9)
        #expect(TelephoneEvent(tone: "*")?.event == 10)
        #expect(TelephoneEvent(tone: "#")?.event == 11)
        #expect(TelephoneEvent(tone: "a")?.event == 12)
        #expect(TelephoneEvent(tone: "D")?.event == 15)
        #expect(TelephoneEvent(tone: "R")?.event == 16)
        #expect(TelephoneEvent(tone: "x") == nil)
        #expect(TelephoneEvent(tone: ",") == nil)
        for tone in "0123456789*#ABCDR" { #expect(TelephoneEvent(tone: tone)?.tone == tone) }
        #expect(TelephoneEvent(event: 40, duration: 0).tone == nil)
    }

    @Test func payloadRoundTrip() throws {
        let event = try #require(TelephoneEvent(tone: "#", isEnd: true, volume: 10, duration: 800))
        #expect(event.bytes == [11, 0x8A, 0x03, 0x20])
        #expect(try TelephoneEvent(parsing: event.bytes) == event)
        #expect(try TelephoneEvent(parsing: [5, 0x3F, 0, 160]).isEnd == false)
        #expect(throws: TelephoneEvent.Invalid.self) { try TelephoneEvent(parsing: [1, 2, 3]) }
    }
}
