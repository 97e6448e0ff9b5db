extension Array where Element == UInt8 {
    /// `withUnsafeBytes` whose body throws ``LakeError`` (the standard one only rethrows `any Error`).
    @discardableResult
    func withLakeBytes<R>(_ body: (UnsafeRawBufferPointer) throws(LakeError) -> R) throws(LakeError) -> R {
        var result: Result<R, LakeError>?
        withUnsafeBytes { raw in
            do throws(LakeError) { result = .success(try body(raw)) } catch { result = .failure(error) }
        }
        return try result!.get()
    }
}
