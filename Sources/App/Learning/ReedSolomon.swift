/// Arithmetic in GF(256) as QR codes use it: the field is built on the primitive polynomial
/// x⁸ + x⁴ + x³ + x² + 1 (0x11D) with α = 2 (ISO/IEC 18004, 7.5.2).
enum GaloisField256 {
    /// exp[i] = αⁱ for i in 0..<255, repeated once so that exp[log a + log b] needs no modulo.
    static let exp: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 510)
        var value = 1
        for i in 0..<255 {
            table[i] = UInt8(value)
            table[i + 255] = UInt8(value)
            value <<= 1
            if value & 0x100 != 0 { value ^= 0x11D }
        }
        return table
    }()

    /// log[a] for a ≠ 0; log[0] is unused.
    static let log: [Int] = {
        var table = [Int](repeating: 0, count: 256)
        for i in 0..<255 { table[Int(exp[i])] = i }
        return table
    }()

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a == 0 || b == 0 { return 0 }
        return exp[log[Int(a)] + log[Int(b)]]
    }
}

/// Computes the error-correction codewords of one QR block: the remainder of data(x)·xⁿ divided by the
/// generator polynomial (x − α⁰)(x − α¹)…(x − αⁿ⁻¹).
struct ReedSolomonEncoder: Sendable {
    let eccCount: Int
    /// Generator coefficients without the leading 1, highest degree first.
    private let generator: [UInt8]

    init(eccCount: Int) {
        precondition(eccCount > 0 && eccCount < 255)
        self.eccCount = eccCount
        var polynomial: [UInt8] = [1]
        for i in 0..<eccCount {
            // Multiply by (x + αⁱ); in GF(2⁸) subtraction is addition (xor).
            var next = [UInt8](repeating: 0, count: polynomial.count + 1)
            for (j, coefficient) in polynomial.enumerated() {
                next[j] ^= coefficient
                next[j + 1] ^= GaloisField256.multiply(coefficient, GaloisField256.exp[i])
            }
            polynomial = next
        }
        generator = Array(polynomial.dropFirst())
    }

    func errorCorrection(for data: [UInt8]) -> [UInt8] {
        var remainder = [UInt8](repeating: 0, count: eccCount)
        for byte in data {
            let factor = byte ^ remainder[0]
            remainder.removeFirst()
            remainder.append(0)
            if factor != 0 {
                for j in 0..<eccCount {
                    remainder[j] ^= GaloisField256.multiply(generator[j], factor)
                }
            }
        }
        return remainder
    }
}
