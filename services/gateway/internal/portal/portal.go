// Package portal serves the gateway's internal web portal: plain HTML, CSS and JavaScript embedded
// in the binary, no build step. The page logs in through /api/v1/auth/login and then talks to the
// same /api routes any client uses.
package portal

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/apperr"
)

//go:embed static
var files embed.FS

// Mount serves the portal at / and its assets under /portal/.
func Mount(e *gin.Engine) {
	static, err := fs.Sub(files, "static")
	if err != nil {
		panic(err) // the embedded folder is part of the binary; a missing one is a build mistake
	}
	index, err := fs.ReadFile(static, "index.html")
	if err != nil {
		panic(err)
	}
	assets := http.StripPrefix("/portal/", http.FileServerFS(static))
	g := e.Group("/", securityHeaders)
	g.GET("/", func(c *gin.Context) { c.Data(http.StatusOK, "text/html; charset=utf-8", index) })
	g.GET("/portal/*file", func(c *gin.Context) {
		// Unknown assets get the same problem+json 404 as every other unknown path.
		if st, err := fs.Stat(static, strings.TrimPrefix(c.Param("file"), "/")); err != nil || st.IsDir() {
			_ = c.Error(apperr.New(apperr.CodeNotFound, "页面资源不存在", "no portal asset "+c.Param("file")))
			return
		}
		assets.ServeHTTP(c.Writer, c.Request)
	})
}

// securityHeaders lock the portal down: scripts only from the gateway itself (no inline script can
// run, so injected text cannot steal the token), no framing, no sniffing.
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-cache")
	c.Next()
}
