// Used while the root package's LakeIngest has no change-record decoder yet (see Package.swift).
func ingestBenchmarks() {}
