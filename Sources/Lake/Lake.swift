@_exported import LakeIngest
@_exported import LakeCore
@_exported import LakeParquet
@_exported import LakeAWS
