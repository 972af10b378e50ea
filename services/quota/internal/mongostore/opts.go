package mongostore

import (
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

var (
	optsUnordered = options.InsertMany().SetOrdered(false)
	optsUpsert    = options.UpdateOne().SetUpsert(true)
	// optsCheckerProjection reads only what the occupancy check counts: the
	// person's account, state, batch and hire (the tenure's request ID).
	optsCheckerProjection = options.Find().SetProjection(bson.D{
		{Key: "account", Value: 1}, {Key: "state", Value: 1}, {Key: "transferId", Value: 1}, {Key: "requestId", Value: 1}})
)
