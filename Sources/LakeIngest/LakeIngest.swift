@_exported import LakeCore
