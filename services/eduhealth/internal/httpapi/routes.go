// Package httpapi is the eduhealth service's REST API. This file shows all of it.
package httpapi

import (
	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/auth"
)

// Deps are what the handlers need.
type Deps struct {
	Service string
}

// Routes mounts the API. Every /v1 route requires a valid token.
func Routes(e *gin.Engine, verifier *auth.Verifier, d Deps) {
	v1 := e.Group("/v1", auth.Middleware(verifier))
	v1.GET("/whoami", auth.WhoAmI(d.Service))
}
