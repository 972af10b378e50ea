package stack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// DemoPassword is the password of the gateway's demo accounts (docs/gateway.md).
const DemoPassword = "Bianzhi@2026"

// Login signs in at the stack's gateway and returns the bearer token, as the portal does.
func (s *Stack) Login(ctx context.Context, user, password string) (string, error) {
	body, _ := json.Marshal(map[string]string{"username": user, "password": password})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.Gateway+"/api/v1/auth/login", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.Token == "" {
		return "", fmt.Errorf("log in as %s: status %d", user, resp.StatusCode)
	}
	return out.Token, nil
}

// ServiceToken gets a service token of the named service from the stack's gateway (the
// service-token grant on its internal listener, with the secret the stack gave that service), as
// the service itself would.
func (s *Stack) ServiceToken(ctx context.Context, service string) (string, error) {
	secret, ok := s.secrets[service]
	if !ok {
		return "", fmt.Errorf("no service %q in the stack", service)
	}
	body, _ := json.Marshal(map[string]string{"service": service, "secret": secret})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.gatewayInternal+"/api/v1/auth/service-token", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.Token == "" {
		return "", fmt.Errorf("service token of %s: status %d", service, resp.StatusCode)
	}
	return out.Token, nil
}
