import ProfileApp from "../components/ProfileApp";

export default function Home() {
  return <ProfileApp />;
}
