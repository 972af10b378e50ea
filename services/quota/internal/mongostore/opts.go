package mongostore

import "go.mongodb.org/mongo-driver/v2/mongo/options"

var (
	optsUnordered = options.InsertMany().SetOrdered(false)
	optsUpsert    = options.UpdateOne().SetUpsert(true)
)
