import CSHA256

/// SHA-256 (FIPS 180-4), used as the content hash that makes applying a document idempotent.
/// Computed in C (``consultd_sha256``): with the processor's SHA extensions where it has them,
/// as intake hashes every document twice (its bytes, its canonical content).
public enum SHA256 {
    /// The digest as 64 lower-case hex digits.
    public static func hex(_ data: [UInt8]) -> String {
        data.withUnsafeBytes { hex($0) }
    }

    /// The digest of the bytes `data` points at, as 64 lower-case hex digits.
    public static func hex(_ data: UnsafeRawBufferPointer) -> String {
        let digits: StaticString = "0123456789abcdef"
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { d in
            consultd_sha256(data.baseAddress, data.count, d.baseAddress!)
            return String(unsafeUninitializedCapacity: 64) { out in
                let hexDigits = digits.utf8Start
                for i in 0..<32 {
                    out[2 * i] = hexDigits[Int(d[i] >> 4)]
                    out[2 * i + 1] = hexDigits[Int(d[i] & 15)]
                }
                return 64
            }
        }
    }

    public static func digest(_ data: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { out, count in
            data.withUnsafeBytes { consultd_sha256($0.baseAddress, $0.count, out.baseAddress!) }
            count = 32
        }
    }

    /// Whether the processor's SHA extensions are used.
    public static var accelerated: Bool { consultd_sha256_accelerated() != 0 }

    /// The digest by the portable C rounds alone, whatever the processor (tests compare both).
    public static func portableDigest(_ data: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { out, count in
            data.withUnsafeBytes { consultd_sha256_portable($0.baseAddress, $0.count, out.baseAddress!) }
            count = 32
        }
    }
}
