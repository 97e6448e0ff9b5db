/// The kind of change a record describes.
public enum ChangeEventName: String, Sendable, Hashable, CaseIterable {
    case insert = "INSERT"
    case modify = "MODIFY"
    case remove = "REMOVE"
}
