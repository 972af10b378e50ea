package httpapi

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/httpserver"

	"github.com/bianzhi/bianzhi/services/gateway/internal/proxy"
)

// forward checks what the path needs and hands the request to the service's proxy.
func forward(p *proxy.Proxy, v *auth.Verifier) gin.HandlerFunc {
	requireToken := auth.Middleware(v)
	return func(c *gin.Context) {
		rest := c.Param("rest")
		// Dot segments could walk out of /v1 on a service that cleans paths; no route needs them.
		if strings.Contains(rest+"/", "/../") || strings.Contains(rest+"/", "/./") {
			_ = c.Error(apperr.New(apperr.CodeNotFound, "接口不存在", "dot segments in path"))
			return
		}
		switch {
		case rest == "/healthz" || rest == "/readyz":
		case rest == "/v1" || strings.HasPrefix(rest, "/v1/"):
			requireToken(c) // a valid token, or a 401 problem; the service enforces roles and scope
			if c.IsAborted() {
				return
			}
		default:
			_ = c.Error(apperr.New(apperr.CodeNotFound, "接口不存在",
				"the gateway exposes only /v1, /healthz and /readyz of "+p.Service))
			return
		}
		if e := p.Serve(c.Writer, c.Request, httpserver.RequestID(c)); e != nil {
			if c.Request.Context().Err() != nil {
				c.Status(statusClientClosed) // nobody reads an answer, but the metrics should not blame the service
				return
			}
			_ = c.Error(e)
		}
	}
}

// statusClientClosed is nginx's convention for a caller that hung up first.
const statusClientClosed = 499
