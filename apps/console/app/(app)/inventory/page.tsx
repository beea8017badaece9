import { redirect } from "next/navigation";

export default function InventoryPage() {
  redirect("/inventory/data-centers");
}
