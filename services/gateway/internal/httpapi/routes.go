// Package httpapi is the gateway's HTTP surface. This file shows all of it.
package httpapi

import (
	"log/slog"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/auth"

	"github.com/bianzhi/bianzhi/services/gateway/internal/auditlog"
	"github.com/bianzhi/bianzhi/services/gateway/internal/mongostore"
	"github.com/bianzhi/bianzhi/services/gateway/internal/portal"
	"github.com/bianzhi/bianzhi/services/gateway/internal/proxy"
	"github.com/bianzhi/bianzhi/services/gateway/internal/ratelimit"
)

// Deps are what the handlers need.
type Deps struct {
	Signer         *auth.Signer
	Verifier       *auth.Verifier
	TokenTTL       time.Duration
	Accounts       *mongostore.Accounts
	Audit          *mongostore.Audit
	AuditLog       *auditlog.Writer
	Limiter        *ratelimit.Limiter
	ServiceSecrets map[string]string // service name → secret; empty disables service tokens
	Proxies        []*proxy.Proxy
	Log            *slog.Logger
}

// Routes mounts the portal, the gateway's own API and the proxy to each service. Every request
// under /api that may change something is audited, login attempts included.
func Routes(e *gin.Engine, d Deps) {
	portal.Mount(e)

	api := e.Group("/api", auditRequests(d.AuditLog))
	api.POST("/v1/auth/login", d.login)
	api.POST("/v1/auth/service-token", d.serviceToken)
	api.GET("/v1/auth/jwks", d.jwks)

	authed := api.Group("/v1", auth.Middleware(d.Verifier))
	authed.GET("/auth/me", d.me)
	authed.GET("/audit", auth.Require(auth.RoleCityAdmin, auth.RoleAuditor), d.listAudit)

	// /api/<service>/v1/... needs a token; /api/<service>/healthz and /readyz do not; nothing else
	// of a service (its /metrics, say) is reachable from outside.
	for _, p := range d.Proxies {
		api.Any("/"+p.Service+"/*rest", forward(p, d.Verifier))
	}
}
