package app

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/bianzhi/bianzhi/services/talent/internal/recruit"
	"github.com/bianzhi/bianzhi/services/talent/internal/service"
)

// metrics are the talent pool's domain metrics, beside the RED metrics every service has.
type metrics struct {
	steps    *prometheus.CounterVec
	refusals *prometheus.CounterVec
	job      *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		steps: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bianzhi_talent_steps_total",
			Help: "Case steps by event and outcome: done, refused by the ledger, or pending (the ledger did not answer).",
		}, []string{"event", "outcome"}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bianzhi_talent_ledger_refusals_total",
			Help: "Steps the quota ledger refused, by its code (quota_exhausted: the pool is empty).",
		}, []string{"code"}),
		job: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bianzhi_talent_return_due_total",
			Help: "What the return-loans job did: resumed, expired, returned, overdue, failed.",
		}, []string{"what"}),
	}
	reg.MustRegister(m.steps, m.refusals, m.job)
	return m
}

func (m *metrics) hooks() service.Hooks {
	return service.Hooks{Step: func(e recruit.Event, outcome, code string) {
		m.steps.WithLabelValues(string(e), outcome).Inc()
		if code != "" {
			m.refusals.WithLabelValues(code).Inc()
		}
	}, Job: m.jobRan}
}

func (m *metrics) jobRan(r service.DueReport) {
	m.job.WithLabelValues("resumed").Add(float64(r.Resumed))
	m.job.WithLabelValues("expired").Add(float64(r.Expired))
	m.job.WithLabelValues("returned").Add(float64(r.Returned))
	m.job.WithLabelValues("overdue").Add(float64(r.Overdue))
	m.job.WithLabelValues("failed").Add(float64(len(r.Failed)))
}
