package app

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// metrics are the ledger's domain metrics (conventions.md).
type metrics struct {
	transfers    *prometheus.CounterVec
	refusals     prometheus.Counter
	holdsPending prometheus.Gauge
	checkOK      prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		transfers: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "bianzhi_ledger_transfers_total",
			Help: "Ledger transfers settled, by kind and outcome (posted, rejected, error). Hires count one per person."}, []string{"kind", "outcome"}),
		refusals: prometheus.NewCounter(prometheus.CounterOpts{Name: "bianzhi_ledger_redline_refusals_total",
			Help: "Writes refused because they would cross the red line (occupied + held > approved)."}),
		holdsPending: prometheus.NewGauge(prometheus.GaugeOpts{Name: "bianzhi_ledger_holds_pending",
			Help: "Holds still open (reserving posts)."}),
		checkOK: prometheus.NewGauge(prometheus.GaugeOpts{Name: "bianzhi_ledger_check_ok",
			Help: "1 if the last invariant check passed, 0 if it found a problem."}),
	}
	reg.MustRegister(m.transfers, m.refusals, m.holdsPending, m.checkOK)
	return m
}

func (m *metrics) transfer(k ledger.TransferKind, outcome string, n int) {
	m.transfers.WithLabelValues(string(k), outcome).Add(float64(n))
}

func (m *metrics) redline(n int) { m.refusals.Add(float64(n)) }
