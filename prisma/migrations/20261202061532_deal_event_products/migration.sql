-- AlterEnum
ALTER TYPE "DealEventKind" ADD VALUE 'products';
