#if canImport(COpus)
    import COpus

    /// Why libopus refused, in its own words.
    public struct OpusError: Error, Sendable, Equatable, CustomStringConvertible {
        public var code: Int32
        public var operation: String

        public var description: String {
            let reason = opus_strerror(code).map { String(cString: $0) } ?? "error \(code)"
            return "Opus \(operation) failed: \(reason)"
        }
    }

    /// Opus (RFC 6716) at sipterm's own 8 kHz mono: libopus takes 8 kHz input natively and codes it
    /// as narrowband, so no resampler is needed; RTP still counts Opus time at 48 kHz (RFC 7587),
    /// six ticks per sample. One encoder and one decoder, used from one thread (the media clock).
    public final class OpusCodec {
        /// RFC 7587: the RTP clock rate of Opus, whatever the coded bandwidth.
        public static let rtpClockRate = 48000
        /// The largest packet `encode` produces (RFC 6716 allows 1275 bytes per frame).
        static let maxPacketBytes = 1275

        private let encoder: OpaquePointer
        private let decoder: OpaquePointer

        /// `bitrate` in bits per second (6000…510000); 16 kbit/s is plenty for narrowband speech.
        public init(bitrate: Int32 = 16000) throws(OpusError) {
            var status: Int32 = 0
            guard let encoder = opus_encoder_create(Int32(AudioFormat.sampleRate), 1, OPUS_APPLICATION_VOIP, &status),
                status == OPUS_OK
            else { throw OpusError(code: status, operation: "encoder setup") }
            guard let decoder = opus_decoder_create(Int32(AudioFormat.sampleRate), 1, &status), status == OPUS_OK else {
                opus_encoder_destroy(encoder)
                throw OpusError(code: status, operation: "decoder setup")
            }
            self.encoder = encoder
            self.decoder = decoder
            let set = copus_set_bitrate(encoder, bitrate)
            guard set == OPUS_OK else { throw OpusError(code: set, operation: "setting the bitrate") }
            _ = copus_set_inband_fec(encoder, 1)
            _ = copus_set_packet_loss_percent(encoder, 5)
        }

        deinit {
            opus_encoder_destroy(encoder)
            opus_decoder_destroy(decoder)
        }

        /// One packet for one frame of 8 kHz samples (2.5, 5, 10, 20, 40 or 60 ms: 160 for 20 ms).
        public func encode(_ samples: [Int16]) throws(OpusError) -> [UInt8] {
            var packet = [UInt8](repeating: 0, count: Self.maxPacketBytes)
            let length = samples.withUnsafeBufferPointer { input in
                packet.withUnsafeMutableBufferPointer { output in
                    guard let from = input.baseAddress, let to = output.baseAddress else { return OPUS_BAD_ARG }
                    return opus_encode(encoder, from, Int32(input.count), to, Int32(output.count))
                }
            }
            guard length > 0 else { throw OpusError(code: length, operation: "encoding") }
            return Array(packet.prefix(Int(length)))
        }

        /// The 8 kHz samples in one received packet; a malformed packet is an error, not a crash.
        public func decode(_ packet: [UInt8]) throws(OpusError) -> [Int16] {
            try decode(packet, frameSamples: 960)
        }

        /// `frameSamples` of concealment for a lost packet (20 ms: 160).
        public func conceal(frameSamples: Int = AudioFormat.frameSamples) -> [Int16] {
            (try? decode(nil, frameSamples: frameSamples)) ?? [Int16](repeating: 0, count: frameSamples)
        }

        private func decode(_ packet: [UInt8]?, frameSamples: Int) throws(OpusError) -> [Int16] {
            // A packet holds at most 120 ms: 960 samples at 8 kHz.
            var output = [Int16](repeating: 0, count: max(frameSamples, 960))
            let decoded = output.withUnsafeMutableBufferPointer { out in
                guard let to = out.baseAddress else { return OPUS_BAD_ARG }
                if let packet {
                    return packet.withUnsafeBufferPointer { input in
                        opus_decode(decoder, input.baseAddress, Int32(input.count), to, Int32(out.count), 0)
                    }
                }
                return opus_decode(decoder, nil, 0, to, Int32(frameSamples), 0)
            }
            guard decoded >= 0 else { throw OpusError(code: decoded, operation: "decoding") }
            return Array(output.prefix(Int(decoded)))
        }
    }
#endif
