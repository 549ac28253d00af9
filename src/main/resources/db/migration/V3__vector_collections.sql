-- Collections without a model hold vectors their users computed ("bring your own vectors").
ALTER TABLE collections ALTER COLUMN model_id DROP NOT NULL;
