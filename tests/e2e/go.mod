module github.com/bianzhi/bianzhi/tests/e2e

go 1.26.0

require (
	github.com/bianzhi/bianzhi/deploy/local v0.0.0
	github.com/bianzhi/bianzhi/pkg v0.0.0
	github.com/bianzhi/bianzhi/services/eduhealth v0.0.0
	github.com/bianzhi/bianzhi/services/enforcement v0.0.0
	github.com/bianzhi/bianzhi/services/gateway v0.0.0
	github.com/bianzhi/bianzhi/services/quota v0.0.0
	github.com/bianzhi/bianzhi/services/talent v0.0.0
	github.com/bianzhi/bianzhi/services/units v0.0.0
)

replace (
	github.com/bianzhi/bianzhi/deploy/local => ../../deploy/local
	github.com/bianzhi/bianzhi/pkg => ../../pkg
	github.com/bianzhi/bianzhi/services/eduhealth => ../../services/eduhealth
	github.com/bianzhi/bianzhi/services/enforcement => ../../services/enforcement
	github.com/bianzhi/bianzhi/services/gateway => ../../services/gateway
	github.com/bianzhi/bianzhi/services/quota => ../../services/quota
	github.com/bianzhi/bianzhi/services/talent => ../../services/talent
	github.com/bianzhi/bianzhi/services/units => ../../services/units
)
