-- Daily cost per cluster (docs/costs.md), for spend at risk (docs/design.md §5): one row per cluster, UTC day
-- and run that stated it; the latest run's statement of a day is the one read.

-- CreateTable
CREATE TABLE "cluster_costs" (
    "run_id" INTEGER NOT NULL,
    "cluster_key" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "cost" DECIMAL(18,4) NOT NULL,
    "currency" TEXT NOT NULL,

    CONSTRAINT "cluster_costs_pkey" PRIMARY KEY ("cluster_key","day","run_id")
);

-- CreateIndex
CREATE INDEX "cluster_costs_day_idx" ON "cluster_costs"("day");

-- CreateIndex
CREATE INDEX "cluster_costs_run_id_idx" ON "cluster_costs"("run_id");

-- AddForeignKey
ALTER TABLE "cluster_costs" ADD CONSTRAINT "cluster_costs_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "collection_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ISO 4217 codes only: a figure is never summed across currencies by mistake.
ALTER TABLE "cluster_costs" ADD CONSTRAINT "cluster_costs_currency_check" CHECK ("currency" ~ '^[A-Z]{3}$');
