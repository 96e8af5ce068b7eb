// sipterm's fuzz targets in one executable (see scripts/fuzz and FuzzTarget). Built with
// `-DFUZZING` and `--sanitize fuzzer` it is the libFuzzer binary, fuzzing the target named by
// the FUZZ_TARGET environment variable; a plain `swift build` makes the replayer:
// `Fuzz TARGET FILE|DIR...` runs each input through the same checks (how a crash file is
// reproduced without the sanitizers), `Fuzz TARGET --seeds DIR` writes the seed corpus, and
// `Fuzz FuzzSIP --repeat N FILE` parses FILE N times and nothing else, for profilers.
import Foundation
import SIPMessage

/// The target libFuzzer's callback checks: a C callback captures nothing, so it is read here.
nonisolated(unsafe) var selected = FuzzTarget.sip

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selected.check(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

let usage = """
    usage: Fuzz TARGET FILE|DIR...      replay inputs through the target's checks
           Fuzz TARGET --seeds DIR      write the target's seed corpus
           Fuzz FuzzSIP --repeat N FILE parse FILE N times (for profilers)
    TARGET: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")); build with -DFUZZING to fuzz
    """

#if FUZZING
    @_silgen_name("LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    /// SwiftPM links an executable with `main` aliased to `<Target>_main`, so libFuzzer's own
    /// main() is never reached: its arguments go to the driver from here.
    @_cdecl("Fuzz_main")
    func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
        let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? FuzzTarget.sip.rawValue
        guard let target = FuzzTarget(rawValue: name) else {
            print("FUZZ_TARGET=\(name) is not a target\n\(usage)")
            return 2
        }
        selected = target
        var count = argc
        var arguments = argv
        return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzTestOneInput(data, size) }
    }
#else
    @main
    struct Replay {
        static func main() {
            var arguments = Array(CommandLine.arguments.dropFirst())
            guard let name = arguments.first, let target = FuzzTarget(rawValue: name), arguments.count >= 2 else {
                print(usage)
                exit(2)
            }
            arguments.removeFirst()
            selected = target
            switch arguments.first {
            case "--seeds" where arguments.count == 2: writeSeeds(target, to: arguments[1])
            case "--repeat" where target == .sip && arguments.count == 3: repeatParse(arguments[1], arguments[2])
            default: replay(arguments)
            }
        }

        /// Every input file named (or under a named directory, in name order) through the checks.
        static func replay(_ paths: [String]) {
            var count = 0
            for path in paths {
                for file in inputFiles(at: path) {
                    guard let data = FileManager.default.contents(atPath: file) else {
                        print("cannot read \(file)")
                        exit(2)
                    }
                    selected.check([UInt8](data))
                    count += 1
                }
            }
            print("\(selected.rawValue): replayed \(count) input\(count == 1 ? "" : "s"): no failure")
        }

        static func writeSeeds(_ target: FuzzTarget, to directory: String) {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let seeds = target.seeds
            for (index, seed) in seeds.enumerated() {
                let path = "\(directory)/seed-\(target.rawValue)-\(index)"
                _ = FileManager.default.createFile(atPath: path, contents: Data(seed))
            }
            print("wrote \(seeds.count) seeds to \(directory)")
        }

        static func repeatParse(_ times: String, _ path: String) {
            guard let times = Int(times), let data = FileManager.default.contents(atPath: path) else {
                print(usage)
                exit(2)
            }
            let bytes = [UInt8](data)
            var parsed = 0
            for _ in 0..<times where (try? SIPMessage.parse(bytes)) != nil { parsed += 1 }
            print("parsed \(parsed) of \(times)")
        }

        /// `path` itself, or the regular files under it in name order.
        static func inputFiles(at path: String) -> [String] {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                return [path]
            }
            let entries = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []
            return entries.sorted().map { path + "/" + $0 }.filter {
                var isDir: ObjCBool = false
                return FileManager.default.fileExists(atPath: $0, isDirectory: &isDir) && !isDir.boolValue
            }
        }
    }
#endif
