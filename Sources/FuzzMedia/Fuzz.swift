// libFuzzer target for what a media socket receives (see scripts/fuzz FuzzMedia): each input is
// one datagram, fed raw and, if it is STUN, re-signed with the fuzz agent's credentials so the
// fuzzer reaches the ICE agent past the integrity checks; `UntrustedDatagram.check` routes it as
// the RFC 7983 demultiplexer would (STUN, DTLS, RTP/RTCP/SRTP) and traps on a broken property.
//
// Built with `-DFUZZING` and `--sanitize fuzzer` it is a libFuzzer binary; a plain `swift build`
// makes a replayer: `swift run FuzzMedia FILE|DIR...` runs each input through the same checks,
// and `swift run FuzzMedia --seeds DIR` (the replayer only) writes a seed corpus (STUN requests and answers, a DTLS
// ClientHello, RTP, RTCP and RFC 4733 packets) made by sipterm's own encoders.
import Foundation
import FuzzSupport
import SIPMedia

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    for mode in UntrustedDatagram.Mode.allCases { UntrustedDatagram.check(bytes, mode: mode) }
    return 0
}

/// `--seeds DIR`: writes the seed corpus there and says so; false for any other arguments.
func writeSeeds(_ arguments: [String]) -> Bool {
    guard arguments.first == "--seeds", arguments.count == 2 else { return false }
    let directory = arguments[1]
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let seeds = UntrustedDatagram.seeds
    for (index, seed) in seeds.enumerated() {
        FileManager.default.createFile(atPath: "\(directory)/seed-media-\(index)", contents: Data(seed))
    }
    print("wrote \(seeds.count) seeds to \(directory)")
    return true
}

#if FUZZING
    @_cdecl("FuzzMedia_main")
    func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
        runLibFuzzer(argc, argv) { data, size in fuzzTestOneInput(data, size) }
    }
#else

    /// Replays inputs through the fuzz checks, or writes the seed corpus.
    @main
    struct Replay {
        static func main() {
            let arguments = Array(CommandLine.arguments.dropFirst())
            if writeSeeds(arguments) { return }
            replayInputs(
                arguments, usage: "usage: FuzzMedia FILE|DIR... | --seeds DIR   (build with -DFUZZING to fuzz)"
            ) { data, size in fuzzTestOneInput(data, size) }
        }
    }
#endif
