-- Target table of config-samples/orders.json (Redshift syntax; the local warehouse accepts it too).
CREATE TABLE IF NOT EXISTS public.orders (
  order_id   BIGINT NOT NULL,
  customer   VARCHAR(64),
  amount     DECIMAL(12,2),
  status     VARCHAR(16),
  updated_at TIMESTAMP
) DISTKEY(order_id) SORTKEY(updated_at);
