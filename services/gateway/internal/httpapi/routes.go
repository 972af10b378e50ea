// Package httpapi is the gateway's HTTP surface. This file shows all of it.
package httpapi

import (
	"log/slog"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/httpserver"

	"github.com/bianzhi/bianzhi/services/gateway/internal/auditlog"
	"github.com/bianzhi/bianzhi/services/gateway/internal/mongostore"
	"github.com/bianzhi/bianzhi/services/gateway/internal/portal"
	"github.com/bianzhi/bianzhi/services/gateway/internal/proxy"
	"github.com/bianzhi/bianzhi/services/gateway/internal/ratelimit"
	"github.com/bianzhi/bianzhi/services/gateway/internal/session"
)

// Deps are what the handlers need.
type Deps struct {
	Signer         *auth.Signer
	Verifier       *auth.Verifier
	TokenTTL       time.Duration
	Accounts       *mongostore.Accounts
	Audit          *mongostore.Audit
	AuditLog       *auditlog.Writer
	Limiter        *ratelimit.Limiter // per username and client IP
	SourceLimiter  *ratelimit.Limiter // per client IP, whatever the usernames
	Lockout        *ratelimit.Lockout
	Sessions       *session.Publisher
	ServiceSecrets map[string]string   // service name → secret; empty disables service tokens
	ServiceOps     map[string][]string // service name → the operations its tokens name
	Proxies        []*proxy.Proxy
	// ProxyMaxBody bounds bodies proxied to ordinary routes, ProxyBatchMaxBody those proxied to the
	// services' batch routes (a /batch segment in the path). Each service checks its own limits too.
	ProxyMaxBody, ProxyBatchMaxBody int64
	Log                             *slog.Logger
}

// Routes mounts the portal, the gateway's own API and the proxy to each service. Every request
// under /api that may change something is audited, login attempts included.
func Routes(e *gin.Engine, d Deps) {
	portal.Mount(e)

	api := e.Group("/api", auditRequests(d.AuditLog))
	api.POST("/v1/auth/login", d.login)
	api.GET("/v1/auth/jwks", d.jwks)
	// The service-token grant is not here: it is served only on the internal listener (InternalRoutes).

	authed := api.Group("/v1", auth.Middleware(d.Verifier))
	authed.GET("/auth/me", d.me)
	authed.POST("/auth/password", d.changePassword) // the caller's own; ends the caller's other sessions
	authed.GET("/audit", auth.Require(auth.RoleCityAdmin, auth.RoleAuditor), d.listAudit)
	authed.POST("/accounts/:username/disable", auth.Require(auth.RoleCityAdmin), d.setDisabled(true))
	authed.POST("/accounts/:username/enable", auth.Require(auth.RoleCityAdmin), d.setDisabled(false))

	// /api/<service>/v1/... needs a token; /api/<service>/healthz and /readyz (status only) do not;
	// nothing else of a service (its /metrics, say) is reachable from outside. Batch routes get the
	// larger limit, checked again by the service against the route's own.
	for _, p := range d.Proxies {
		api.Any("/"+p.Service+"/*rest", httpserver.BodyLimitFunc(d.proxyBodyLimit), forward(p, d.Verifier))
	}
}

// InternalRoutes mounts what only the cluster may reach, on the gateway's internal listener: the
// service-token grant (client credentials of service jobs) and the JWKS. The paths are those the
// public listener used, so a client only changes its base URL.
func InternalRoutes(e *gin.Engine, d Deps) {
	api := e.Group("/api", auditRequests(d.AuditLog))
	api.POST("/v1/auth/service-token", d.serviceToken)
	api.GET("/v1/auth/jwks", d.jwks)
}

// proxyBodyLimit is the larger limit for a path with a /batch segment, the default for any other.
func (d Deps) proxyBodyLimit(c *gin.Context) int64 {
	if strings.Contains(c.Param("rest")+"/", "/batch/") {
		return d.ProxyBatchMaxBody
	}
	return d.ProxyMaxBody
}
