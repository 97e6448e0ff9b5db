import Foundation
import Lake

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal HTTP/1.x server for Prometheus scrapes (`lake stream --metrics-port`): one listening
/// socket on its own thread; `GET /metrics` answers 200 with the text format
/// (`text/plain; version=0.0.4`), any other request 404 (405 for other methods). One request
/// per connection, answered and closed; a client that sends nothing for 5 s is dropped.
final class MetricsEndpoint: @unchecked Sendable {
    let address: String
    /// The bound port (the one asked for, or the kernel's choice for 0).
    let port: Int
    private let fd: Int32
    private let body: @Sendable () -> String

    /// Binds `address:port` and starts serving `body()`.
    /// - Throws: a ``CLIFailure`` (exit 64) naming the address when it is not an IPv4 address, or
    ///   (exit 74) when the port cannot be bound (in use, no permission).
    init(address: String, port: Int, body: @escaping @Sendable () -> String) throws {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port)).bigEndian
        guard inet_pton(AF_INET, address, &addr.sin_addr) == 1 else {
            throw CLIFailure(.usage, "--metrics-address must be an IPv4 address such as 127.0.0.1, not '\(address)'")
        }
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw CLIFailure(.ioError, "metrics endpoint: socket() failed (errno \(errno))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let e = errno
            close(fd)
            throw CLIFailure(
                .ioError, "metrics endpoint: cannot listen on \(address):\(port): \(String(cString: strerror(e)))",
                hint: "choose a free port with --metrics-port")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.address = address
        self.port = Int(UInt16(bigEndian: actual.sin_port))
        self.fd = fd
        self.body = body
        let server = self
        let thread = Thread { server.serve() }
        thread.name = "lake-metrics"
        thread.start()
    }

    /// Accepts and answers connections until the process exits.
    private func serve() {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            answer(client)
            close(client)
        }
    }

    private func answer(_ client: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 2048)
        // Read the request head (up to 16 KiB): the request line is all that is used.
        while request.count < 16384 {
            let n = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            request += chunk[0..<n]
            if request.count >= 4 && Self.containsHeadEnd(request) { break }
        }
        let line = String(decoding: request.prefix { $0 != 0x0D && $0 != 0x0A }, as: UTF8.self)
        let parts = line.split(separator: " ")
        let response: String
        if parts.count >= 2, parts[0] == "GET", parts[1] == "/metrics" || parts[1].hasPrefix("/metrics?") {
            let text = body()
            response =
                "HTTP/1.1 200 OK\r\nContent-Type: \(PrometheusText.contentType)\r\nContent-Length: \(text.utf8.count)\r\nConnection: close\r\n\r\n"
                + text
        } else if parts.count >= 2, parts[0] != "GET" {
            response = Self.plain(405, "Method Not Allowed", "only GET /metrics is served\n")
        } else {
            response = Self.plain(404, "Not Found", "not found: metrics are at /metrics\n")
        }
        let bytes = Array(response.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            sent += n
        }
    }

    private static func plain(_ status: Int, _ reason: String, _ text: String) -> String {
        "HTTP/1.1 \(status) \(reason)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(text.utf8.count)\r\nConnection: close\r\n\r\n"
            + text
    }

    /// Whether the request head is complete (an empty line: CRLF CRLF, or LF LF).
    private static func containsHeadEnd(_ b: [UInt8]) -> Bool {
        for i in 0..<(b.count - 1) {
            if b[i] == 0x0A && b[i + 1] == 0x0A { return true }
            if i + 3 < b.count && b[i] == 0x0D && b[i + 1] == 0x0A && b[i + 2] == 0x0D && b[i + 3] == 0x0A {
                return true
            }
        }
        return false
    }
}
