-- CreateEnum
CREATE TYPE "ViewLinkKind" AS ENUM ('tv', 'dashboard');

-- CreateTable
CREATE TABLE "view_link" (
    "id" SERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "kind" "ViewLinkKind" NOT NULL,
    "created_by_id" INTEGER NOT NULL,
    "team_id" INTEGER,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "view_link_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "view_link_token_hash_key" ON "view_link"("token_hash");

-- CreateIndex
CREATE INDEX "view_link_workspace_id_kind_idx" ON "view_link"("workspace_id", "kind");

-- AddForeignKey
ALTER TABLE "view_link" ADD CONSTRAINT "view_link_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
