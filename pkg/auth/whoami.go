package auth

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// Identity is what GET /v1/whoami answers: who the service believes the caller is. Every service
// serves it, so a person (or a test) can check a token against any service through the gateway.
type Identity struct {
	Service string   `json:"service"`
	Subject string   `json:"subject"`
	Name    string   `json:"name"`
	Roles   []Role   `json:"roles"`
	Region  string   `json:"region,omitempty"`
	Units   []string `json:"units,omitempty"`
}

// WhoAmI serves GET /v1/whoami for service.
func WhoAmI(service string) gin.HandlerFunc {
	return func(c *gin.Context) {
		cl := Caller(c)
		c.JSON(http.StatusOK, Identity{Service: service, Subject: cl.Subject, Name: cl.Name, Roles: cl.Roles,
			Region: cl.Region, Units: cl.Units})
	}
}
