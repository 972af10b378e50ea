package auth

import (
	"context"
	"errors"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/golang-jwt/jwt/v5"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/svcclient"
)

type ctxKey struct{}

const ginKey = "bianzhi.claims"

// WithClaims returns ctx carrying c.
func WithClaims(ctx context.Context, c *Claims) context.Context {
	return context.WithValue(ctx, ctxKey{}, c)
}

// FromContext returns the verified claims of the request, if any.
func FromContext(ctx context.Context) (*Claims, bool) {
	c, ok := ctx.Value(ctxKey{}).(*Claims)
	return c, ok
}

// Caller returns the verified claims set by Middleware. Routes behind Middleware always have them.
func Caller(c *gin.Context) *Claims {
	if v, ok := c.Get(ginKey); ok {
		return v.(*Claims)
	}
	return &Claims{}
}

// BearerToken returns the raw token of the request, for passing the person's identity on.
func BearerToken(c *gin.Context) string {
	h := c.GetHeader("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "Bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// Middleware requires a valid bearer token and stores its claims in the gin and request contexts.
func Middleware(v *Verifier) gin.HandlerFunc {
	return func(c *gin.Context) {
		raw := BearerToken(c)
		if raw == "" {
			fail(c, apperr.New(apperr.CodeUnauthenticated, "", "missing bearer token"))
			return
		}
		claims, err := v.Verify(c.Request.Context(), raw)
		if err != nil {
			detail := "invalid token"
			title := "登录凭证无效，请重新登录"
			switch {
			case errors.Is(err, jwt.ErrTokenExpired):
				detail, title = "token expired", "登录已过期，请重新登录"
			case errors.Is(err, ErrRevoked):
				detail, title = "token revoked", "登录已失效，请重新登录"
			case errors.Is(err, ErrSessionUnknown):
				detail, title = "session cannot be confirmed", "暂时无法确认登录状态，请重新登录"
			}
			fail(c, apperr.New(apperr.CodeUnauthenticated, title, detail).Wrap(err))
			return
		}
		c.Set(ginKey, claims)
		// The person's token rides along in the context, so calls this request makes to other services
		// act as the person, under the person's rights.
		ctx := svcclient.WithToken(WithClaims(c.Request.Context(), claims), raw)
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}

// Require lets the request through only if the caller holds one of roles.
func Require(roles ...Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !Caller(c).Has(roles...) {
			fail(c, Forbidden("role"))
			return
		}
		c.Next()
	}
}

// RequireOp lets a service token through only if it names op among its operations (Claims.MayOp);
// people pass to the route's role and scope checks. Put it beside the route's Require.
func RequireOp(op string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !Caller(c).MayOp(op) {
			fail(c, apperr.New(apperr.CodeForbidden, "该服务无权调用此接口", "service token does not name operation "+op))
			return
		}
		c.Next()
	}
}

// Forbidden is the error for a caller acting outside their rights; what names the missing right.
func Forbidden(what string) *apperr.Error {
	return apperr.New(apperr.CodeForbidden, "", "caller lacks the required "+what)
}

// RequireRegion returns a forbidden error unless the caller may act on region. It fails closed: no
// claims, a unit HR officer (whose scope is units) and a person's token without a region are refused.
func RequireRegion(c *Claims, region string) error {
	if c == nil || !c.InRegion(region) {
		return apperr.New(apperr.CodeForbidden, "无权操作该地区的数据", "region "+region+" is outside the caller's scope")
	}
	return nil
}

// RequireUnit returns a forbidden error unless the caller may act on the unit, whose region must come
// from the unit's owner (the units service), never from the request.
func RequireUnit(c *Claims, unitID, region string) error {
	if c == nil || !c.CanUnit(unitID, region) {
		return apperr.New(apperr.CodeForbidden, "无权操作该单位的数据", "unit "+unitID+" is outside the caller's scope")
	}
	return nil
}

func fail(c *gin.Context, err error) {
	_ = c.Error(err)
	c.Abort()
}
