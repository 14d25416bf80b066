import EditorShell from "../components/EditorShell";
import { workspace } from "./data";

export default function Home() {
  return <EditorShell workspace={workspace} />;
}
