import Dispatch
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends signed requests over HTTP(S): one `URLSession` (connections reused across requests), a
/// bound on requests in flight, timeouts, retries with jittered exponential backoff, and request
/// metrics.
///
/// Every call is available blocking (for lake's synchronous library, safe to call from many
/// threads at once: the work runs on URLSession's and Dispatch's own threads, never on the
/// caller's) and `async`. A request is signed again for each attempt, so `x-amz-date` is fresh.
public final class AWSTransport: Sendable {
    /// Limits and timeouts of a transport.
    public struct Options: Sendable {
        /// Requests in flight at once (more wait their turn, in order); also the connections kept per host.
        public var maxConcurrentRequests: Int
        /// Seconds a request may go without receiving any data (connecting included) before it fails
        /// with a timeout (URLSession's `timeoutIntervalForRequest`).
        public var requestTimeout: Double
        /// Seconds one attempt may take in all, however slowly data trickles in.
        public var attemptTimeout: Double
        /// When and how often to retry.
        public var retry: AWSRetryPolicy

        public init(
            maxConcurrentRequests: Int = 16, requestTimeout: Double = 30, attemptTimeout: Double = 300,
            retry: AWSRetryPolicy = AWSRetryPolicy()
        ) {
            self.maxConcurrentRequests = max(1, maxConcurrentRequests)
            self.requestTimeout = requestTimeout
            self.attemptTimeout = attemptTimeout
            self.retry = retry
        }
    }

    public let options: Options
    let session: URLSession
    let gate: AWSRequestGate
    let recorder = AWSMetricsRecorder()

    public init(options: Options = Options()) {
        self.options = options
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = options.maxConcurrentRequests
        configuration.timeoutIntervalForRequest = options.requestTimeout
        configuration.timeoutIntervalForResource = options.attemptTimeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        self.session = URLSession(configuration: configuration)
        self.gate = AWSRequestGate(permits: options.maxConcurrentRequests)
    }

    deinit { session.finishTasksAndInvalidate() }

    /// The requests made and bytes moved so far (subtract two readings for one command's share).
    public var metrics: AWSRequestMetrics { recorder.snapshot }

    /// One request to send: how to build each attempt (signed), what it is for the metrics, whether
    /// it may be repeated, and how the service shapes its errors.
    public struct Call: Sendable {
        public var kind: AWSRequestKind
        public var safety: AWSRequestSafety
        /// Builds the signed request for an attempt (signing reads the clock, so each attempt is fresh).
        public var makeRequest: @Sendable () throws(AWSError) -> AWSRequest

        public init(
            kind: AWSRequestKind, safety: AWSRequestSafety,
            makeRequest: @escaping @Sendable () throws(AWSError) -> AWSRequest
        ) {
            self.kind = kind
            self.safety = safety
            self.makeRequest = makeRequest
        }
    }

    /// Sends a request, retrying as its safety allows; blocks the calling thread until done.
    ///
    /// - Returns: the last answer, whatever its status (non-2xx answers are the caller's to map).
    /// - Throws: `AWSError(.transport)` when no answer came after every allowed attempt, naming the
    ///   URL and the last failure; the error `makeRequest` threw.
    public func send(_ call: Call) throws(AWSError) -> AWSResponse {
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        start(call) { result in
            box.result = result
            done.signal()
        }
        done.wait()
        return try box.result!.get()
    }

    /// Sends a request, retrying as its safety allows (the `async` form of ``send(_:)``).
    public func send(_ call: Call) async throws(AWSError) -> AWSResponse {
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<AWSResponse, AWSError>, Never>) in
            start(call) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    /// Runs the attempts of a call and reports its result once, on a background thread.
    func start(_ call: Call, completion: @escaping @Sendable (Result<AWSResponse, AWSError>) -> Void) {
        attempt(call, number: 1, ambiguous: false, completion: completion)
    }

    private func attempt(
        _ call: Call, number: Int, ambiguous: Bool,
        completion: @escaping @Sendable (Result<AWSResponse, AWSError>) -> Void
    ) {
        let request: AWSRequest
        do {
            request = try call.makeRequest()
        } catch {
            recorder.record { $0.failures += 1 }
            completion(.failure(error))
            return
        }
        guard let url = URL(string: request.urlString) else {
            completion(.failure(AWSError(.invalidRequest, "cannot form a URL from '\(request.urlString)'")))
            return
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        urlRequest.timeoutInterval = options.requestTimeout
        for (name, value) in request.headers { urlRequest.addValue(value, forHTTPHeaderField: name) }
        if urlRequest.value(forHTTPHeaderField: "Accept-Encoding") == nil {
            urlRequest.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        }
        if !request.body.isEmpty || request.method == "PUT" || request.method == "POST" {
            urlRequest.httpBody = Data(request.body)
        }
        let kind = call.kind
        let sent = Int64(request.body.count)
        let prepared = urlRequest
        gate.acquire { [self] in
            let task = session.dataTask(with: prepared) { [self] data, response, error in
                gate.release()
                let received = Int64(data?.count ?? 0)
                recorder.record {
                    $0.requests[kind, default: 0] += 1
                    $0.bytesSent += sent
                    $0.bytesReceived += received
                    if number > 1 { $0.retries += 1 }
                }
                let outcome: AWSRetryPolicy.Outcome
                let result: Result<AWSResponse, AWSError>
                var nowAmbiguous = ambiguous
                if let http = response as? HTTPURLResponse, error == nil {
                    var headers: [String: String] = [:]
                    for (name, value) in http.allHeaderFields {
                        headers[String(describing: name).lowercased()] = String(describing: value)
                    }
                    let answer = AWSResponse(
                        status: http.statusCode, headers: headers, body: data.map { [UInt8]($0) } ?? [],
                        attempts: number, hadAmbiguousFailure: ambiguous)
                    if answer.isSuccess {
                        outcome = .fail
                    } else {
                        let code = AWSErrorBody(response: answer).code
                        outcome = AWSRetryPolicy.classify(status: answer.status, serviceCode: code, safety: call.safety)
                        if outcome == .retryThrottled { recorder.record { $0.throttled += 1 } }
                        if outcome == .retryTransient, answer.status >= 500 { nowAmbiguous = true }
                    }
                    result = .success(answer)
                } else {
                    let failure = error ?? URLError(.badServerResponse)
                    let reached = Self.mayHaveReachedServer(failure)
                    if reached { nowAmbiguous = true }
                    outcome = AWSRetryPolicy.classify(transportFailureReachedServer: reached, safety: call.safety)
                    result = .failure(
                        AWSError(
                            .transport,
                            "\(request.method) \(request.urlString) failed after \(number) "
                                + "attempt\(number == 1 ? "" : "s"): "
                                + Self.describe(failure), cause: failure as? URLError))
                }
                if outcome == .fail || number >= options.retry.maxAttempts {
                    if case .failure = result { recorder.record { $0.failures += 1 } }
                    if case .success(let r) = result, !r.isSuccess { recorder.record { $0.failures += 1 } }
                    completion(result)
                    return
                }
                let wait = options.retry.delay(
                    afterAttempt: number, throttled: outcome == .retryThrottled, random: Double.random(in: 0...1))
                let ambiguousSoFar = nowAmbiguous
                DispatchQueue.global().asyncAfter(deadline: .now() + wait) { [self] in
                    attempt(call, number: number + 1, ambiguous: ambiguousSoFar, completion: completion)
                }
            }
            task.resume()
        }
    }

    /// False when the failure proves nothing was sent (refused connection, unknown host).
    static func mayHaveReachedServer(_ error: any Error) -> Bool {
        guard let urlError = error as? URLError else { return true }
        switch urlError.code {
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet: return false
        default: return true
        }
    }

    static func describe(_ error: any Error) -> String {
        guard let urlError = error as? URLError else { return String(describing: error) }
        switch urlError.code {
        case .cannotConnectToHost: return "connection refused (is the server running?)"
        case .timedOut: return "timed out"
        case .networkConnectionLost: return "the connection was reset"
        case .cannotFindHost, .dnsLookupFailed: return "unknown host"
        default: return urlError.localizedDescription
        }
    }
}

/// Carries a result from a completion handler to the blocked caller.
private final class ResultBox: @unchecked Sendable {
    var result: Result<AWSResponse, AWSError>?
}
