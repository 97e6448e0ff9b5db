@_exported import LakeParquet
