import { redirect } from "next/navigation";

// Until the map exists, the fleet's front door is the data center inventory.
export default function Home() {
  redirect("/inventory/data-centers");
}
