@_exported import LakeIngest
@_exported import LakeCore
@_exported import LakeS3
@_exported import LakeGlue
@_exported import LakeParquet
@_exported import LakeAWS
