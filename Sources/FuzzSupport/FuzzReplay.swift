// What sipterm's fuzz targets share: the replayer a plain build makes of a target (inputs from
// files, or every file under a directory, through the same checks as the fuzzer) and, under
// -DFUZZING, the hand-off to libFuzzer's driver.
import Foundation

/// Runs a target's `LLVMFuzzerTestOneInput` on every input file named in `paths`; prints
/// `usage` and exits 2 without paths, exits 2 when a file cannot be read.
public func replayInputs(
    _ paths: [String], usage: String, _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) {
    guard !paths.isEmpty else {
        print(usage)
        exit(2)
    }
    var count = 0
    for path in paths {
        for file in inputFiles(at: path) {
            guard let data = FileManager.default.contents(atPath: file) else {
                print("cannot read \(file)")
                exit(2)
            }
            _ = [UInt8](data).withUnsafeBufferPointer { test($0.baseAddress, $0.count) }
            count += 1
        }
    }
    print("replayed \(count) input\(count == 1 ? "" : "s"): no failure")
}

/// `path` itself, or the regular files under it in name order.
public func inputFiles(at path: String) -> [String] {
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

#if FUZZING
    @_silgen_name("LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    /// SwiftPM links an executable with `main` aliased to `<Target>_main`, so libFuzzer's own
    /// main() is never reached: each target's `<Target>_main` hands its arguments here.
    public func runLibFuzzer(
        _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt {
        var count = argc
        var arguments = argv
        return LLVMFuzzerRunDriver(&count, &arguments, callback)
    }
#endif
