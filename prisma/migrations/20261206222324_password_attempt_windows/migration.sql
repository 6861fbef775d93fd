-- CreateTable
CREATE TABLE "password_attempt_windows" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL,
    "window_started_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "password_attempt_windows_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "password_attempt_windows_window_started_at_idx" ON "password_attempt_windows"("window_started_at");
