extension Array {
    /// `withUnsafeBytes` whose body throws a typed error (the standard one only rethrows
    /// `any Error`, which typed-throws callers cannot propagate).
    @inlinable @inline(__always) @discardableResult
    public func withRawBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        var result: Result<R, E>?
        withUnsafeBytes { raw in
            do throws(E) { result = .success(try body(raw)) } catch { result = .failure(error) }
        }
        return try result!.get()
    }

    /// `withUnsafeMutableBufferPointer` whose body throws a typed error.
    @inlinable @inline(__always) @discardableResult
    public mutating func withMutableBuffer<R, E: Error>(
        _ body: (UnsafeMutableBufferPointer<Element>) throws(E) -> R
    ) throws(E) -> R {
        var result: Result<R, E>?
        withUnsafeMutableBufferPointer { buf in
            do throws(E) { result = .success(try body(buf)) } catch { result = .failure(error) }
        }
        return try result!.get()
    }
}
