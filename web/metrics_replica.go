package web

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/healthcell/healthcell"
)

// replicaCollector asks the read replica's status at every scrape of
// /metrics: its lag in seconds, the WAL bytes it is behind the primary,
// whether it answered, and the reads sent to it.
type replicaCollector struct {
	status                    func(ctx context.Context) (healthcell.ReplicaStatus, error)
	log                       *slog.Logger
	lag, bytes, up, readsDesc *prometheus.Desc
}

func newReplicaCollector(status func(ctx context.Context) (healthcell.ReplicaStatus, error), log *slog.Logger) *replicaCollector {
	return &replicaCollector{status: status, log: log,
		lag: prometheus.NewDesc("healthcell_db_replica_lag_seconds",
			"Age of the last transaction the read replica replayed while it has received WAL still to replay; 0 when it has replayed all it received.", nil, nil),
		bytes: prometheus.NewDesc("healthcell_db_replica_bytes_behind",
			"WAL bytes the primary has written that the read replica has not replayed (pg_stat_replication); absent when the primary does not list it.", nil, nil),
		up: prometheus.NewDesc("healthcell_db_replica_up",
			"1 when the read replica answered the last scrape, 0 otherwise.", nil, nil),
		readsDesc: prometheus.NewDesc("healthcell_db_replica_reads_total",
			"Reads this process sent to the read replica.", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *replicaCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.lag
	ch <- c.bytes
	ch <- c.up
	ch <- c.readsDesc
}

// replicaScrapeTimeout bounds how long a scrape waits for the replica.
const replicaScrapeTimeout = 2 * time.Second

// Collect implements prometheus.Collector: up 0 and nothing else when the
// replica or the primary does not answer (the error is logged).
func (c *replicaCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), replicaScrapeTimeout)
	defer cancel()
	st, err := c.status(ctx)
	ch <- prometheus.MustNewConstMetric(c.readsDesc, prometheus.CounterValue, float64(st.Reads))
	if err != nil {
		c.log.Error("replica status", "err", err)
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(c.lag, prometheus.GaugeValue, st.LagSeconds)
	if st.BytesBehind >= 0 {
		ch <- prometheus.MustNewConstMetric(c.bytes, prometheus.GaugeValue, float64(st.BytesBehind))
	}
}
