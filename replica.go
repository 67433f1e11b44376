package healthcell

import "context"

type replicaReadsKey struct{}

// WithReplicaReads returns a context whose reads may be served by a
// streaming read replica, which lags the primary by the time its last
// writes take to replay (usually milliseconds, seconds under load). The web
// layer sets it for the GET routes it lists as tolerating that lag
// (dashboards, indicators, bulletin lists, public pages, exports); a read
// that must see the caller's own writes — the page after a POST redirect,
// sessions, tokens, idempotency — runs without it, on the primary.
func WithReplicaReads(ctx context.Context) context.Context {
	return context.WithValue(ctx, replicaReadsKey{}, true)
}

// ReplicaReads reports whether ctx allows reads from a read replica; false
// unless WithReplicaReads marked it.
func ReplicaReads(ctx context.Context) bool {
	ok, _ := ctx.Value(replicaReadsKey{}).(bool)
	return ok
}

// ReplicaStatus is how far a streaming read replica is behind its primary,
// as /metrics shows it.
type ReplicaStatus struct {
	// LagSeconds is the age of the last transaction the replica replayed
	// while WAL it has received is still waiting to be replayed; 0 when it
	// has replayed everything it received.
	LagSeconds float64
	// BytesBehind is how much WAL the primary has written that the
	// replica has not replayed (pg_stat_replication on the primary); -1
	// when the primary does not list the replica.
	BytesBehind int64
	// Reads is how many reads this process sent to the replica.
	Reads int64
}
