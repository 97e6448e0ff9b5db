import ArgumentParser

/// A size in bytes given on the command line: a plain number (`1048576`) or a number with a
/// binary unit (`64KiB`, `8MiB`, `1GiB`; `K`, `M`, `G`, `KB`, `MB`, `GB` mean the same).
struct ByteCount: ExpressibleByArgument, Sendable {
    var bytes: Int

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: " ")
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let value = Int(digits) else { return nil }
        let unit = text.dropFirst(digits.count).uppercased()
        let factor: Int
        switch unit {
        case "", "B": factor = 1
        case "K", "KB", "KIB": factor = 1 << 10
        case "M", "MB", "MIB": factor = 1 << 20
        case "G", "GB", "GIB": factor = 1 << 30
        default: return nil
        }
        let (product, overflow) = value.multipliedReportingOverflow(by: factor)
        guard !overflow else { return nil }
        bytes = product
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

private extension String {
    func trimmingCharacters(in set: Character) -> Substring {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return s
    }
}
