-- AlterTable
ALTER TABLE "workspace" ADD COLUMN "manager_role" TEXT;
